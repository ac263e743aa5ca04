select
    check_run_id,
    check_kind,
    account_id,
    region,
    resource_type,
    resource_id,
    case when resource_type is not null
        then concat_ws('/', 'aws', account_id, region, resource_type, resource_id)
    end as resource_key,
    check_target,
    status,
    status = 'healthy' as is_healthy,
    detail,
    response_ms,
    checked_at
from {{ source('health', 'checks') }}
