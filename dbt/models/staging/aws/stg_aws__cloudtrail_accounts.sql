-- One row per account (region 'global', the resource id is the account id): its multi-region trails, home anywhere.
select
    {{ aws_resource_columns() }},
    'CloudTrail multi-region trails' as name,
    case when jsonb_array_length(document -> 'MultiRegionTrails') = 0 then 'absent' else 'present' end as state,
    null::timestamptz as created_at,
    jsonb_array_length(document -> 'MultiRegionTrails') as multi_region_trail_count
from {{ source('aws', 'resources') }}
where resource_type = 'cloudtrail_account'
