-- One row per account-region (the resource id is the account id); Hub is null where Security Hub is off.
select
    {{ aws_resource_columns() }},
    'Security Hub' as name,
    case when document -> 'Hub' = 'null'::jsonb then 'disabled' else 'enabled' end as state,
    (document #>> '{Hub,SubscribedAt}')::timestamptz as created_at,
    document #>> '{Hub,HubArn}' as hub_arn
from {{ source('aws', 'resources') }}
where resource_type = 'security_hub'
