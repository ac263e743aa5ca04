select
    policy_id,
    title as policy_title,
    description as policy_description,
    severity,
    category,
    resource_types,
    frameworks,
    remediation,
    source_file,
    loaded_at
from {{ source('policies', 'policies') }}
