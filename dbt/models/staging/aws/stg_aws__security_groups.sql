select
    {{ aws_resource_columns() }},
    document ->> 'GroupName' as name,
    null::text as state,
    null::timestamptz as created_at,
    document ->> 'VpcId' as vpc_id,
    document ->> 'Description' as description,
    document -> 'IpPermissions' as ingress_rules,
    document -> 'IpPermissionsEgress' as egress_rules
from {{ source('aws', 'resources') }}
where resource_type = 'security_group'
