select
    {{ aws_resource_columns() }},
    null::text as name,
    document ->> 'State' as state,
    (document ->> 'CreateTime')::timestamptz as created_at,
    (document ->> 'Size')::integer as size_gib,
    document ->> 'VolumeType' as volume_type,
    (document ->> 'Encrypted')::boolean as is_encrypted,
    document ->> 'AvailabilityZone' as availability_zone,
    document -> 'Attachments' -> 0 ->> 'InstanceId' as attached_instance_id
from {{ source('aws', 'resources') }}
where resource_type = 'ebs_volume'
