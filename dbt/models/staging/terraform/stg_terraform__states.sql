select
    source_uri as state_uri,
    source as state_source,
    workspace,
    serial as state_serial,
    lineage as state_lineage,
    terraform_version,
    resource_count,
    status,
    message,
    attempted_at,
    loaded_at
from {{ source('terraform', 'states') }}
