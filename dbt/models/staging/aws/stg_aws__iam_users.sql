select
    {{ aws_resource_columns() }},
    document ->> 'UserName' as name,
    null::text as state,
    (document ->> 'CreateDate')::timestamptz as created_at,
    document ->> 'UserId' as user_id,
    jsonb_array_length(document -> 'MFADevices') as mfa_device_count,
    document ->> 'LoginProfile' is not null as has_console_password,
    document -> 'AccessKeys' as access_keys
from {{ source('aws', 'resources') }}
where resource_type = 'iam_user'
