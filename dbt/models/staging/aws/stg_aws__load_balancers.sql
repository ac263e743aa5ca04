select
    {{ aws_resource_columns() }},
    document ->> 'LoadBalancerName' as name,
    document -> 'State' ->> 'Code' as state,
    (document ->> 'CreatedTime')::timestamptz as created_at,
    document ->> 'Type' as load_balancer_type,
    document ->> 'Scheme' as scheme,
    document ->> 'VpcId' as vpc_id,
    document ->> 'DNSName' as dns_name
from {{ source('aws', 'resources') }}
where resource_type = 'load_balancer'
