select
    {{ aws_resource_columns() }},
    document ->> 'RoleName' as name,
    null::text as state,
    (document ->> 'CreateDate')::timestamptz as created_at,
    document ->> 'RoleId' as role_id
from {{ source('aws', 'resources') }}
where resource_type = 'iam_role'
