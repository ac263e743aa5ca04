-- One row per account-region (the resource id is the account id): the EBS encryption-by-default switch.
select
    {{ aws_resource_columns() }},
    'EBS encryption by default' as name,
    case when (document ->> 'EbsEncryptionByDefault')::boolean then 'enabled' else 'disabled' end as state,
    null::timestamptz as created_at,
    (document ->> 'EbsEncryptionByDefault')::boolean as is_enabled
from {{ source('aws', 'resources') }}
where resource_type = 'ebs_encryption_by_default'
