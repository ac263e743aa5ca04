{{ config(materialized='view') }}
-- The current health: for resource checks, the results of each (account, region)'s latest successful collection; for
-- endpoint checks, each endpoint's latest result. A view over health_history's sources, so the endpoint checks of
-- the every-minute schedule show at once, without a dbt build.
with

checks as (
    select * from {{ ref('stg_health__checks') }}
),

-- A slice's latest successful collection stamped its results with its last_success_at; a failed one keeps them.
current_checks as (
    select checks.*
    from checks
    inner join {{ ref('stg_health__check_slices') }} as slices
        on slices.slice_key = concat_ws('/', 'aws', checks.account_id, checks.region)
        and checks.checked_at = slices.last_success_at
    where checks.check_kind <> 'http_endpoint'
    union all
    (
        select distinct on (resource_id) *
        from checks
        where check_kind = 'http_endpoint'
        order by resource_id, checked_at desc
    )
)

select
    current_checks.check_kind,
    current_checks.account_id,
    current_checks.region,
    current_checks.resource_type,
    current_checks.resource_id,
    current_checks.resource_key,
    resources.name,
    resources.team,
    resources.project,
    resources.env,
    current_checks.check_target,
    current_checks.status,
    current_checks.status = 'unhealthy' as is_failing,
    current_checks.detail,
    current_checks.response_ms,
    current_checks.checked_at
from current_checks
left join {{ ref('resources') }} as resources on resources.resource_key = current_checks.resource_key
