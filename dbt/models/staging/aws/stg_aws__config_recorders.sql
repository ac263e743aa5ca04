-- One row per account-region (the resource id is the account id); a region without a recorder is a row too.
select
    {{ aws_resource_columns() }},
    'AWS Config recorder' as name,
    case
        when jsonb_array_length(document -> 'ConfigurationRecorders') = 0 then 'absent'
        when document -> 'ConfigurationRecordersStatus' @? '$[*] ? (@.recording == true)' then 'recording'
        else 'stopped'
    end as state,
    null::timestamptz as created_at,
    document #>> '{ConfigurationRecorders,0,name}' as recorder_name,
    (document #>> '{ConfigurationRecorders,0,recordingGroup,allSupported}')::boolean as is_all_supported
from {{ source('aws', 'resources') }}
where resource_type = 'config_recorder'
