-- An address has no lifecycle state in the API; whether it is associated is what matters (idle ones cost).
select
    {{ aws_resource_columns() }},
    null::text as name,
    case when document ->> 'AssociationId' is null then 'unassociated' else 'associated' end as state,
    null::timestamptz as created_at,
    document ->> 'PublicIp' as public_ip,
    document ->> 'AssociationId' as association_id,
    document ->> 'InstanceId' as instance_id,
    document ->> 'Domain' as domain
from {{ source('aws', 'resources') }}
where resource_type = 'elastic_ip'
