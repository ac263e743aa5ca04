select
    {{ aws_resource_columns() }},
    document ->> 'DBInstanceIdentifier' as name,
    document ->> 'DBInstanceStatus' as state,
    (document ->> 'InstanceCreateTime')::timestamptz as created_at,
    document ->> 'DBInstanceClass' as instance_class,
    document ->> 'Engine' as engine,
    (document ->> 'PubliclyAccessible')::boolean as is_publicly_accessible,
    (document ->> 'StorageEncrypted')::boolean as is_storage_encrypted,
    (document ->> 'BackupRetentionPeriod')::integer as backup_retention_days
from {{ source('aws', 'resources') }}
where resource_type = 'rds_instance'
