{{ config(materialized='table', unlogged=true) }}
-- Each resource of either world once: a declaration with the running resource it names (same type and id, and
-- the same account when the state says which), and every running resource no state declares, except what AWS
-- creates on its own. A table: drift_resources and drift_attributes (through int_drift__attribute_differences) both
-- read it, and as a view the matching (and the team resolution of the declarations) ran once for each. Unlogged:
-- every build rebuilds it from the marts before its readers, so its rows need no write-ahead log (a crash empties
-- it, the next build refills it).
-- Neither side is materialized (as a CTE read twice would be, written aside whole): the full join reads each once,
-- and unnamed again only the rare declarations without an account and the resources they name.
with declared as not materialized (
    select * from {{ ref('int_drift__declared_resources') }}
),

live as not materialized (
    select * from {{ ref('int_drift__live_resources') }}
),

-- A declaration without an account (rare) takes the resource of the first account running it.
unnamed as (
    select distinct on (declared.resource_type, declared.resource_id)
        declared.*,
        live.resource_key as live_resource_key,
        live.account_id as live_account_id,
        live.region as live_region,
        live.name,
        live.team as live_team,
        live.live_attributes
    from declared
    left join live
        on live.resource_type = declared.resource_type
        and live.resource_id = declared.resource_id
    where declared.account_id is null
    order by declared.resource_type, declared.resource_id, live.account_id
),

-- Declarations naming their account and running resources in one hash full join: each declaration with the
-- resource it names, and each running resource no declaration names (what AWS creates on its own left out), so
-- neither side is kept aside to be anti-joined later.
matched as (
    select
        coalesce(live.resource_key, concat_ws('/', 'aws', declared.account_id, declared.region,
            declared.resource_type, declared.resource_id)) as resource_key,
        coalesce(live.account_id, declared.account_id) as account_id,
        coalesce(live.region, declared.region) as region,
        coalesce(live.resource_type, declared.resource_type) as resource_type,
        declared.terraform_type,
        coalesce(live.resource_id, declared.resource_id) as resource_id,
        coalesce(live.name, declared.resource_id) as name,
        live.team as live_team,
        declared.state_uri,
        declared.address,
        declared.declared_by,
        coalesce(declared.is_conflict, false) as is_conflict,
        declared.declared_attributes,
        live.live_attributes,
        declared.state_uri is not null as is_declared,
        live.resource_key is not null as is_running
    from (select * from declared where account_id is not null) as declared
    full join live
        on live.resource_type = declared.resource_type
        and live.resource_id = declared.resource_id
        and live.account_id = declared.account_id
    where declared.state_uri is not null
        or (
            not live.is_aws_default
            and not exists (select from unnamed where unnamed.live_resource_key = live.resource_key)
        )

    union all

    select
        coalesce(live_resource_key, concat_ws('/', 'aws', account_id, region, resource_type, resource_id)),
        coalesce(live_account_id, account_id),
        coalesce(live_region, region),
        resource_type,
        terraform_type,
        resource_id,
        coalesce(name, resource_id),
        live_team,
        state_uri,
        address,
        declared_by,
        is_conflict,
        declared_attributes,
        live_attributes,
        true,
        live_resource_key is not null
    from unnamed
)

select
    matched.resource_key,
    matched.account_id,
    matched.region,
    matched.resource_type,
    matched.terraform_type,
    matched.resource_id,
    matched.name,
    -- A declaration's team from its declared tags where no running resource says one: a subquery for each such
    -- row (resolved apart and joined back, the matched rows were a CTE read twice, written aside whole).
    coalesce(matched.live_team, case when matched.is_declared then {{ canonical_tag_value(
        "case when jsonb_typeof(matched.declared_attributes -> 'tags') = 'object'"
        ~ " then matched.declared_attributes -> 'tags' else '{}'::jsonb end", 'team') | indent(4) }} end) as team,
    matched.state_uri,
    matched.address,
    matched.declared_by,
    matched.is_conflict,
    matched.declared_attributes,
    matched.live_attributes,
    matched.is_declared,
    matched.is_running
from matched
