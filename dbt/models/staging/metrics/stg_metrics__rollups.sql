select
    concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key,
    account_id,
    region,
    resource_type,
    resource_id,
    namespace,
    metric as metric_name,
    period,
    bucket_start as bucket_start_at,
    samples as sample_count,
    avg as avg_value,
    p95 as p95_value,
    max as max_value,
    sum as sum_value,
    loaded_at
from {{ source('metrics', 'rollups') }}
