select
    {{ aws_resource_columns() }},
    document ->> 'ServerCertificateName' as name,
    null::text as state,
    (document ->> 'UploadDate')::timestamptz as created_at,
    (document ->> 'Expiration')::timestamptz as expires_at
from {{ source('aws', 'resources') }}
where resource_type = 'iam_server_certificate'
