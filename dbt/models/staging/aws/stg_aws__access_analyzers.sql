-- One row per account-region (the resource id is the account id); a region without an analyzer is a row too.
select
    {{ aws_resource_columns() }},
    'IAM Access Analyzer' as name,
    case when jsonb_array_length(document -> 'Analyzers') = 0 then 'absent' else 'present' end as state,
    (select min((analyzer ->> 'createdAt')::timestamptz) from jsonb_array_elements(document -> 'Analyzers') as analyzer)
        as created_at,
    jsonb_array_length(document -> 'Analyzers') as analyzer_count
from {{ source('aws', 'resources') }}
where resource_type = 'access_analyzer'
