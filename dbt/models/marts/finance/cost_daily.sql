{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        tmp_relation_type='view',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ cost_transaction_settings() }}",
            "{{ cost_prepare_incremental(ref('int_cost_day_versions'), 'day') }}",
        ],
        indexes=[
            {'columns': ['provider', 'billing_account_id', 'billing_period', 'charge_day', 'lines_digest']},
            {'columns': ['built_at']},
        ],
    )
}}
-- Billing lines summed per day and what they are about, with team/project/env from tags: a resource the inventory
-- knows takes its inventory tags, any other line its own tags, normalised by the same rules (tag_normalisation).
-- Incremental by day of a billing slice (provider, billing account, billing period): a run builds the days whose
-- lines, as int_cost_day_versions digests them, are not here yet (new, or changed: providers restate the open month
-- every day, usually leaving all but its newest day as they were) and appends their rows: the pre-hook has removed
-- the rows of days no longer in the source as they are, so no row of a changed day is left (dbt's delete+insert
-- would scan the table once more to delete nothing).

with

charges as (
    select
        charge_day, billing_period, provider, billing_account_id, billing_account_name, sub_account_id,
        sub_account_name, service_category, service_name, region_id, resource_id, resource_name, charge_category,
        billing_currency, tags, billed_cost, effective_cost, list_cost, load_id, loaded_at
    from {{ cost_rows_to_build(ref('stg_billing__focus_charges'), ref('int_cost_day_versions'), 'day', 'load_id') }}
        as lines
),

-- Inventory resources under the names billing lines use: the ARN, else the resource id within the account.
-- Small lookups are materialized, so no plan can recompute them per billing line.
inventory as materialized (
    select distinct on (provider, sub_account_id, billing_resource_id)
        provider, sub_account_id, billing_resource_id, resource_key, team, project, env
    from (
        select cloud as provider, account_id as sub_account_id, arn as billing_resource_id, 0 as name_rank,
            resource_key, team, project, env
        from {{ ref('resources') }}
        where arn is not null
        union all
        select cloud, account_id, resource_id, 1, resource_key, team, project, env
        from {{ ref('resources') }}
    ) as names
    order by provider, sub_account_id, billing_resource_id, name_rank, resource_key
),

tag_sets as (
    select distinct tags
    from charges
    where jsonb_typeof(tags) = 'object'
),

line_tags_normalized as (
    {{ normalized_tags('tag_sets', 'tags') | indent(4) }}
),

line_tags_resolved as (
    {{ resolved_tags('line_tags_normalized', 'tags') | indent(4) }}
),

line_tags as materialized (
    {{ canonical_tag_columns('line_tags_resolved', 'tags') | indent(4) }}
),

attributed as (
    select
        charges.*,
        inventory.resource_key,
        coalesce(inventory.team, line_tags.team) as team,
        coalesce(inventory.project, line_tags.project) as project,
        coalesce(inventory.env, line_tags.env) as env
    from charges
    left join inventory
        on inventory.provider = charges.provider
        and inventory.sub_account_id = charges.sub_account_id
        and inventory.billing_resource_id = charges.resource_id
    left join line_tags  -- only for lines the inventory does not know
        on line_tags.tags = charges.tags
        and inventory.resource_key is null
),

keyed as (
    select
        {{ cost_day_key('charge_day', ['charge_day', 'billing_period', 'provider', 'billing_account_id',
                     'sub_account_id', 'service_category', 'service_name', 'region_id', 'resource_id',
                     'charge_category', 'team', 'project', 'env', 'billing_currency']) }} as cost_daily_id,
        {{ cost_day_key('charge_day', ['charge_day', 'billing_period', 'provider', 'billing_account_id',
                     'billing_currency', 'sub_account_id', 'service_category', 'service_name', 'charge_category',
                     'team', 'project', 'env']) }} as cost_attribution_id,
        attributed.*
    from attributed
),

-- Grouped by the key (a uuid: grouping by it is much cheaper than by the fourteen columns it stands for).
grouped as (
    select
        cost_daily_id,
        any_value(cost_attribution_id) as cost_attribution_id,
        any_value(charge_day) as charge_day,
        any_value(billing_period) as billing_period,
        any_value(provider) as provider,
        any_value(billing_account_id) as billing_account_id,
        max(billing_account_name) as billing_account_name,
        any_value(sub_account_id) as sub_account_id,
        max(sub_account_name) as sub_account_name,
        any_value(service_category) as service_category,
        any_value(service_name) as service_name,
        any_value(region_id) as region_id,
        any_value(resource_id) as resource_id,
        max(resource_name) as resource_name,
        any_value(resource_key) as resource_key,
        any_value(charge_category) as charge_category,
        any_value(team) as team,
        any_value(project) as project,
        any_value(env) as env,
        any_value(billing_currency) as billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost,
        count(*) as line_item_count,
        any_value(load_id) as load_id,
        max(loaded_at) as loaded_at
    from keyed
    group by cost_daily_id
)

-- With the digest of the day's lines the row was built from: joined to the grouped rows, not to the lines, which
-- the planner then misjudges as a few thousand (it spilled the tags' and the rows' grouping to disk: 11 s, not 6).
select grouped.*, day_versions.lines_digest, {{ clock_now() }} as built_at
from grouped
inner join {{ ref('int_cost_day_versions') }} as day_versions
    on day_versions.provider = grouped.provider
    and day_versions.billing_account_id = grouped.billing_account_id
    and day_versions.billing_period = grouped.billing_period
    and day_versions.charge_day = grouped.charge_day
    and day_versions.load_id = grouped.load_id
