select
    {{ aws_resource_columns() }},
    document ->> 'Name' as name,
    document ->> 'LifeCycleState' as state,
    (document ->> 'CreationTime')::timestamptz as created_at,
    (document ->> 'Encrypted')::boolean as is_encrypted,
    document ->> 'KmsKeyId' as kms_key_id
from {{ source('aws', 'resources') }}
where resource_type = 'efs_file_system'
