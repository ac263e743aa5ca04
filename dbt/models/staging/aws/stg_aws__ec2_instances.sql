-- EC2 keeps no creation time: created_at is the last LaunchTime.
select
    {{ aws_resource_columns() }},
    null::text as name,
    document -> 'State' ->> 'Name' as state,
    (document ->> 'LaunchTime')::timestamptz as created_at,
    document ->> 'InstanceType' as instance_type,
    document ->> 'ImageId' as image_id,
    document ->> 'VpcId' as vpc_id,
    document ->> 'SubnetId' as subnet_id,
    document -> 'Placement' ->> 'AvailabilityZone' as availability_zone,
    document ->> 'PrivateIpAddress' as private_ip_address,
    document ->> 'PublicIpAddress' as public_ip_address
from {{ source('aws', 'resources') }}
where resource_type = 'ec2_instance'
