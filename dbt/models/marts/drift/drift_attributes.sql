-- One row per differing attribute of a declared, running resource: path (tags.<key> for a tag), declared and live
-- value, whether an ignore rule covers it and why, and whether it is a security matter.
select
    differences.resource_key,
    resources.account_id,
    resources.region,
    resources.resource_type,
    resources.resource_id,
    resources.name,
    resources.team,
    resources.state_uri,
    resources.address,
    differences.attribute_path,
    differences.declared_value,
    differences.live_value,
    differences.is_ignored,
    differences.ignore_reason,
    differences.is_security_relevant
from {{ ref('int_drift__attribute_differences') }} as differences
inner join {{ ref('drift_resources') }} as resources
    on resources.resource_key = differences.resource_key
