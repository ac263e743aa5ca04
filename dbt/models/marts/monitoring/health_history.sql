-- Every health check result with the checked resource's owners: the history behind health_status.
select
    checks.check_run_id,
    checks.check_kind,
    checks.account_id,
    checks.region,
    checks.resource_type,
    checks.resource_id,
    checks.resource_key,
    resources.name,
    resources.team,
    resources.project,
    resources.env,
    checks.check_target,
    checks.status,
    checks.is_healthy,
    checks.detail,
    checks.response_ms,
    checks.checked_at
from {{ ref('stg_health__checks') }} as checks
left join {{ ref('resources') }} as resources on resources.resource_key = checks.resource_key
