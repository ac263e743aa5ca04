select
    source_uri as state_uri,
    serial as state_serial,
    lineage as state_lineage,
    address,
    module,
    mode,
    mode = 'data' as is_data_source,
    type as terraform_type,
    name as terraform_name,
    index_key,
    provider,
    inventory_type as resource_type,
    resource_id,
    account_id,
    region,
    attributes as declared_attributes,
    loaded_at
from {{ source('terraform', 'declared_resources') }}
