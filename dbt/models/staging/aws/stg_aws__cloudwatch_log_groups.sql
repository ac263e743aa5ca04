-- CloudWatch Logs log groups; describe_log_groups leaves kmsKeyId and retentionInDays out when unset.
select
    {{ aws_resource_columns() }},
    document ->> 'logGroupName' as name,
    null::text as state,
    to_timestamp((document ->> 'creationTime')::bigint / 1000.0) as created_at,
    document ->> 'kmsKeyId' as kms_key_id,
    (document ->> 'retentionInDays')::integer as retention_in_days
from {{ source('aws', 'resources') }}
where resource_type = 'cloudwatch_log_group'
