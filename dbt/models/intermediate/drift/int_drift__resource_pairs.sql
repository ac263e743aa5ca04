{{ config(materialized='table', unlogged=true) }}
-- Each resource of either world once: a declaration with the running resource it names (same type and id, and
-- the same account when the state says which), and every running resource no state declares, except what AWS
-- creates on its own. A table: drift_resources and drift_attributes (through int_drift__attribute_differences) both
-- read it, and as a view the matching (and the team resolution of the declarations) ran once for each. Unlogged:
-- every build rebuilds it from the marts before its readers, so its rows need no write-ahead log (a crash empties
-- it, the next build refills it).
with declared as (
    select * from {{ ref('int_drift__declared_resources') }}
),

live as (
    select * from {{ ref('int_drift__live_resources') }}
),

candidates as not materialized (  -- computed per branch of matched, over its declarations only
    select
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
        and (declared.account_id is null or live.account_id = declared.account_id)
),

-- A declaration naming its account has at most one candidate (no sort needed); one without (rare) takes the
-- resource of the first account running it.
matched as (
    select * from candidates
    where account_id is not null

    union all

    (
        select distinct on (resource_type, resource_id) * from candidates
        where account_id is null
        order by resource_type, resource_id, live_account_id
    )
),

-- The team of a declaration from its declared tags, needed only where no running resource says one.
declared_tags as (
    select
        state_uri || ' ' || address as address_key,
        case when jsonb_typeof(declared_attributes -> 'tags') = 'object'
            then declared_attributes -> 'tags' else '{}'::jsonb end as tags
    from matched
    where live_team is null
),

normalized as (
    {{ normalized_tags('declared_tags', 'address_key') | indent(4) }}
),

resolved as (
    {{ resolved_tags('normalized', 'address_key') | indent(4) }}
),

teams as (
    {{ canonical_tag_columns('resolved', 'address_key') | indent(4) }}
)

select
    coalesce(live_resource_key, concat_ws('/', 'aws', account_id, region, resource_type, resource_id))
        as resource_key,
    coalesce(live_account_id, account_id) as account_id,
    coalesce(live_region, region) as region,
    resource_type,
    terraform_type,
    resource_id,
    coalesce(name, resource_id) as name,
    coalesce(matched.live_team, teams.team) as team,
    state_uri,
    address,
    declared_by,
    is_conflict,
    declared_attributes,
    live_attributes,
    true as is_declared,
    live_resource_key is not null as is_running
from matched
left join teams on teams.address_key = matched.state_uri || ' ' || matched.address

union all

select
    live.resource_key,
    live.account_id,
    live.region,
    live.resource_type,
    null as terraform_type,
    live.resource_id,
    live.name,
    live.team,
    null as state_uri,
    null as address,
    null as declared_by,
    false as is_conflict,
    null as declared_attributes,
    live.live_attributes,
    false as is_declared,
    true as is_running
from live
where not live.is_aws_default
    and not exists (
        select from matched
        where matched.live_resource_key = live.resource_key
    )
