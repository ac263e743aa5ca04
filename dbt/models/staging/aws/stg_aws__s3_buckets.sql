-- Buckets have no state. A missing configuration comes as JSON null, which ->> reads as SQL null.
select
    {{ aws_resource_columns() }},
    document ->> 'Name' as name,
    null::text as state,
    (document ->> 'CreationDate')::timestamptz as created_at,
    document ->> 'ServerSideEncryptionConfiguration' is not null as has_default_encryption,
    coalesce(document -> 'Versioning' ->> 'Status' = 'Enabled', false) as is_versioning_enabled,
    document ->> 'PublicAccessBlockConfiguration' is not null as has_public_access_block,
    document -> 'PublicAccessBlockConfiguration' as public_access_block
from {{ source('aws', 'resources') }}
where resource_type = 's3_bucket'
