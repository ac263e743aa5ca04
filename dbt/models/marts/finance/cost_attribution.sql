{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        tmp_relation_type='view',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ cost_transaction_settings() }}",
            "{{ cost_prepare_incremental(cost_versions(ref('cost_daily'), 'day'), 'day', cost_allocation_rules_id()) }}",
        ],
        post_hook=["{{ cost_analyze_when_built_whole() }}"],
        indexes=[
            {'columns': ['provider', 'billing_account_id', 'billing_period', 'charge_day', 'lines_digest']},
            {'columns': ['charge_day']},
            {'columns': ['built_at']},
        ],
    )
}}
-- Who pays for each group of daily cost, and why: a shared pool, else team and project from tags, tag rules,
-- the sub account's default, or 'unallocated' (see the cost_allocation_rules doc).
-- Incremental by day of a billing slice, like cost_daily: a build attributes the days cost_daily holds other lines
-- of (another lines_digest) and replaces those days' rows (the pre-hook deletes the old ones, the build appends the
-- new). The rules are part of every row (rules_id): when the configuration changes, the pre-hook empties the table,
-- so the build attributes all history by the new rules.

with costs as (
    select
        cost_attribution_id,
        any_value(charge_day) as charge_day,
        any_value(billing_period) as billing_period,
        any_value(provider) as provider,
        any_value(billing_account_id) as billing_account_id,
        any_value(billing_currency) as billing_currency,
        any_value(sub_account_id) as sub_account_id,
        any_value(service_category) as service_category,
        any_value(service_name) as service_name,
        any_value(charge_category) as charge_category,
        any_value(team) as team,
        any_value(project) as project,
        any_value(env) as env,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost,
        any_value(load_id) as load_id,
        max(loaded_at) as loaded_at,
        any_value(lines_digest) as lines_digest
    from {{ cost_rows_to_build(ref('cost_daily'), cost_versions(ref('cost_daily'), 'day'), 'day') }} as daily
    group by cost_attribution_id  -- a key for the columns taken with any_value
),

-- What the pools test of a cost, and what the rules test (its tags): few distinct values, so each is matched once,
-- not once per row. cost_key is null-safe, so a missing value matches a missing value.
keyed as (
    select
        costs.*,
        {{ cost_key(['service_name', 'service_category', 'charge_category', 'sub_account_id', 'team is null']) }}
            as pool_key,
        {{ cost_key(['team', 'project', 'env']) }} as tags_key
    from costs
),

pool_matches as materialized (
    select
        pool_key,
        (
            select pools.pool_name
            from {{ ref('int_cost_shared_pools') }} as pools
            where (jsonb_array_length(pools.service_names) = 0 or pools.service_names ? keys.service_name)
                and (jsonb_array_length(pools.service_categories) = 0
                    or pools.service_categories ? keys.service_category)
                and (jsonb_array_length(pools.charge_categories) = 0
                    or pools.charge_categories ? keys.charge_category)
                and (jsonb_array_length(pools.sub_account_ids) = 0 or pools.sub_account_ids ? keys.sub_account_id)
                and (not pools.is_untagged_only or keys.team is null)
            order by pools.pool_order
            limit 1
        ) as cost_pool
    from (
        select distinct on (pool_key) pool_key, service_name, service_category, charge_category, sub_account_id, team
        from keyed
    ) as keys
),

-- The first matching rule that sets a team, and the first that sets a project.
rule_matches as materialized (
    select keys.tags_key, rules.rule_team, rules.rule_project
    from (select distinct on (tags_key) tags_key, team, project, env from keyed) as keys
    cross join lateral (
        select
            (array_agg(rule.team order by rule.rule_order) filter (where rule.team is not null))[1] as rule_team,
            (array_agg(rule.project order by rule.rule_order) filter (where rule.project is not null))[1]
                as rule_project
        from {{ ref('int_cost_tag_rules') }} as rule
        where jsonb_strip_nulls(jsonb_build_object('team', keys.team, 'project', keys.project, 'env', keys.env))
            @> rule.match_tags
    ) as rules
),

attributed as (
    select
        keyed.*,
        pool_matches.cost_pool,
        rule_matches.rule_team,
        rule_matches.rule_project,
        account_defaults.team as default_team,
        account_defaults.project as default_project
    from keyed
    inner join pool_matches
        on pool_matches.pool_key = keyed.pool_key
    inner join rule_matches
        on rule_matches.tags_key = keyed.tags_key
    left join {{ ref('int_cost_account_defaults') }} as account_defaults
        on account_defaults.sub_account_id = keyed.sub_account_id
)

select
    cost_attribution_id,
    charge_day,
    billing_period,
    provider,
    billing_account_id,
    billing_currency,
    sub_account_id,
    service_category,
    service_name,
    charge_category,
    team,
    project,
    env,
    coalesce(cost_pool, 'direct') as cost_pool,
    case when cost_pool is null then coalesce(team, rule_team, default_team, 'unallocated') end as allocated_team,
    case when cost_pool is null then coalesce(project, rule_project, default_project, 'unallocated') end
        as allocated_project,
    case
        when cost_pool is not null then 'shared_pool'
        when team is not null then 'tag'
        when rule_team is not null then 'tag_rule'
        when default_team is not null then 'account_default'
        else 'unallocated'
    end as team_source,
    case
        when cost_pool is not null then 'shared_pool'
        when project is not null then 'tag'
        when rule_project is not null then 'tag_rule'
        when default_project is not null then 'account_default'
        else 'unallocated'
    end as project_source,
    billed_cost,
    effective_cost,
    list_cost,
    load_id,
    loaded_at,
    lines_digest,
    {{ cost_allocation_rules_id() }} as rules_id,
    {{ clock_now() }} as built_at
from attributed
