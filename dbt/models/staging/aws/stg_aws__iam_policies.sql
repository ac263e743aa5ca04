-- Customer-managed IAM policies; the document of their default version is in document -> 'Document'.
select
    {{ aws_resource_columns() }},
    document ->> 'PolicyName' as name,
    case when (document ->> 'AttachmentCount')::integer > 0 then 'attached' else 'unattached' end as state,
    (document ->> 'CreateDate')::timestamptz as created_at,
    document ->> 'PolicyId' as policy_id,
    (document ->> 'AttachmentCount')::integer as attachment_count
from {{ source('aws', 'resources') }}
where resource_type = 'iam_policy'
