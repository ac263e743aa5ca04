select
    waiver_id,
    policy_id,
    resource_pattern,
    reason as waiver_reason,
    owner as waiver_owner,
    expires_on,
    origin as waiver_origin,
    created_at
from {{ source('policies', 'waivers') }}
