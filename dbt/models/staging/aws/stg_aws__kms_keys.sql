-- The key document carries no name (aliases are a separate API): the Name tag or the key id names it.
select
    {{ aws_resource_columns() }},
    null::text as name,
    document ->> 'KeyState' as state,
    (document ->> 'CreationDate')::timestamptz as created_at,
    document ->> 'KeyManager' as key_manager,
    document ->> 'Description' as description,
    (document ->> 'KeyRotationEnabled')::boolean as is_rotation_enabled
from {{ source('aws', 'resources') }}
where resource_type = 'kms_key'
