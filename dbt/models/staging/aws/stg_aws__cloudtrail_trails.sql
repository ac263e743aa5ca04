-- CloudTrail trails, each in its home region (a multi-region trail once); state is logging or stopped.
select
    {{ aws_resource_columns() }},
    document ->> 'Name' as name,
    case when (document ->> 'IsLogging')::boolean then 'logging' else 'stopped' end as state,
    null::timestamptz as created_at,
    (document ->> 'IsMultiRegionTrail')::boolean as is_multi_region,
    coalesce((document ->> 'LogFileValidationEnabled')::boolean, false) as is_log_file_validation_enabled,
    document ->> 'KmsKeyId' as kms_key_id,
    document ->> 'S3BucketName' as s3_bucket_name,
    document -> 'EventSelectors' as event_selectors,
    document -> 'AdvancedEventSelectors' as advanced_event_selectors
from {{ source('aws', 'resources') }}
where resource_type = 'cloudtrail_trail'
