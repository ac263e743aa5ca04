select
    {{ aws_resource_columns() }},
    null::text as name,
    document ->> 'State' as state,
    (document ->> 'StartTime')::timestamptz as created_at,
    document ->> 'VolumeId' as volume_id,
    (document ->> 'VolumeSize')::integer as volume_size_gib,
    (document ->> 'Encrypted')::boolean as is_encrypted
from {{ source('aws', 'resources') }}
where resource_type = 'ebs_snapshot'
