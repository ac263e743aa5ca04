-- One row per account-region (the resource id is the account id); a region without a detector is a row too.
select
    {{ aws_resource_columns() }},
    'GuardDuty detector' as name,
    case
        when jsonb_array_length(document -> 'Detectors') = 0 then 'absent'
        else lower(document #>> '{Detectors,0,Status}')
    end as state,
    (document #>> '{Detectors,0,CreatedAt}')::timestamptz as created_at,
    document #>> '{Detectors,0,DetectorId}' as detector_id
from {{ source('aws', 'resources') }}
where resource_type = 'guardduty_detector'
