select
    resource_key,
    account_id,
    region,
    resource_type,
    resource_id,
    error as mapping_error,
    run_id as evaluation_run_id,
    evaluated_at
from {{ source('policies', 'mapping_errors') }}
