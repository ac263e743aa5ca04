select
    {{ aws_resource_columns() }},
    null::text as name,
    document ->> 'State' as state,
    null::timestamptz as created_at,
    document ->> 'CidrBlock' as cidr_block,
    (document ->> 'IsDefault')::boolean as is_default
from {{ source('aws', 'resources') }}
where resource_type = 'vpc'
