select
    request_id,
    name as request_name,
    blueprint,
    account_id,
    region,
    requested_by,
    lower(team) as team,
    status as request_status,
    plan_hash,
    monthly_estimate,
    approvals_needed,
    created_at as requested_at,
    updated_at
from {{ source('provisioning', 'requests') }}
