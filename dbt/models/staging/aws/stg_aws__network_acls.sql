select
    {{ aws_resource_columns() }},
    null::text as name,
    null::text as state,
    null::timestamptz as created_at,
    document ->> 'VpcId' as vpc_id,
    (document ->> 'IsDefault')::boolean as is_default,
    jsonb_array_length(coalesce(document -> 'Entries', '[]'::jsonb)) as entry_count
from {{ source('aws', 'resources') }}
where resource_type = 'network_acl'
