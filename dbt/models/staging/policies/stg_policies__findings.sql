select
    finding_id,
    policy_id,
    resource_key,
    account_id,
    region,
    resource_type,
    resource_id,
    severity,
    message,
    status,
    waiver_id,
    first_seen_at,
    last_seen_at,
    resolved_at,
    status_changed_at,
    run_id as evaluation_run_id
from {{ source('policies', 'findings') }}
