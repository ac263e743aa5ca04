{#- What depends on what, read from the inventory's documents: one row per edge "resource <relation>
    depends_on", where both ends are in the inventory (same account and region). A reference to something the
    inventory does not hold (say a security group moto invents for a database created without one) is no
    edge. -#}
with resources as (
    select resource_key, account_id, region, resource_type, resource_id, configuration
    from {{ ref('resources') }}
),

-- Where each type's document names what it depends on: a JSON path to the ids of the resources it refers to.
document_references (resource_type, relation, depends_on_type, id_path) as (
    values
        ('ec2_instance', 'in_subnet', 'subnet', '$.SubnetId'),
        ('ec2_instance', 'uses_security_group', 'security_group', '$.SecurityGroups[*].GroupId'),
        ('subnet', 'in_vpc', 'vpc', '$.VpcId'),
        ('ebs_volume', 'attached_to', 'ec2_instance', '$.Attachments[*].InstanceId'),
        ('rds_instance', 'in_subnet', 'subnet', '$.DBSubnetGroup.Subnets[*].SubnetIdentifier'),
        ('rds_instance', 'uses_security_group', 'security_group', '$.VpcSecurityGroups[*].VpcSecurityGroupId'),
        ('load_balancer', 'in_subnet', 'subnet', '$.AvailabilityZones[*].SubnetId'),
        ('load_balancer', 'uses_security_group', 'security_group', '$.SecurityGroups[*]'),
        ('load_balancer', 'routes_to', 'ec2_instance', '$.TargetGroups[*] ? (@.TargetType == "instance").Targets[*].Id')
),

edges as (
    select distinct
        dependent.resource_key,
        dependent.account_id,
        dependent.region,
        dependent.resource_type,
        dependent.resource_id,
        document_references.relation,
        dependency.resource_key as depends_on_key,
        dependency.resource_type as depends_on_type,
        dependency.resource_id as depends_on_id
    from resources as dependent
    inner join document_references
        on document_references.resource_type = dependent.resource_type
    cross join lateral jsonb_path_query(dependent.configuration, document_references.id_path::jsonpath) as referred (id)
    inner join resources as dependency
        on dependency.account_id = dependent.account_id
        and dependency.region = dependent.region
        and dependency.resource_type = document_references.depends_on_type
        and dependency.resource_id = referred.id #>> '{}'
)

select
    concat_ws(' ', resource_key, relation, depends_on_key) as relationship_key,
    *
from edges
