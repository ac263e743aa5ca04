-- The Lambda API exposes no creation time, only LastModified.
select
    {{ aws_resource_columns() }},
    document ->> 'FunctionName' as name,
    document ->> 'State' as state,
    null::timestamptz as created_at,
    document ->> 'Runtime' as runtime,
    (document ->> 'LastModified')::timestamptz as last_modified_at
from {{ source('aws', 'resources') }}
where resource_type = 'lambda_function'
