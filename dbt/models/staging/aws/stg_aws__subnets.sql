select
    {{ aws_resource_columns() }},
    null::text as name,
    document ->> 'State' as state,
    null::timestamptz as created_at,
    document ->> 'VpcId' as vpc_id,
    document ->> 'CidrBlock' as cidr_block,
    document ->> 'AvailabilityZone' as availability_zone
from {{ source('aws', 'resources') }}
where resource_type = 'subnet'
