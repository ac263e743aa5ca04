-- One row per account (the resource id is the account id); an account without a policy has a null
-- PasswordPolicy, and AWS's defaults apply to it.
select
    {{ aws_resource_columns() }},
    'account password policy' as name,
    case when document -> 'PasswordPolicy' = 'null'::jsonb then 'absent' else 'set' end as state,
    null::timestamptz as created_at,
    (document #>> '{PasswordPolicy,MinimumPasswordLength}')::integer as minimum_password_length,
    (document #>> '{PasswordPolicy,PasswordReusePrevention}')::integer as password_reuse_prevention
from {{ source('aws', 'resources') }}
where resource_type = 'iam_password_policy'
