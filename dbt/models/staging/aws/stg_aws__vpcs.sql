select
    {{ aws_resource_columns() }},
    null::text as name,
    document ->> 'State' as state,
    null::timestamptz as created_at,
    document ->> 'CidrBlock' as cidr_block,
    (document ->> 'IsDefault')::boolean as is_default,
    coalesce(document -> 'FlowLogs', '[]'::jsonb) @? '$[*] ? (@.FlowLogStatus == "ACTIVE")' as has_flow_logs
from {{ source('aws', 'resources') }}
where resource_type = 'vpc'
