select
    request_id,
    node_id,
    address,
    resource_type as terraform_type,
    physical_id,
    attributes,
    status as node_status,
    updated_at
from {{ source('provisioning', 'nodes') }}
