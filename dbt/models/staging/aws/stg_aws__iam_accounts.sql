-- One row per account (the resource id is the account id): what CIS judges of its root user and support role.
-- RootUser is the credential report's root row, null where the report has none (moto's).
select
    {{ aws_resource_columns() }},
    'root user' as name,
    null::text as state,
    null::timestamptz as created_at,
    (document #>> '{AccountSummary,AccountMFAEnabled}')::integer = 1 as is_root_mfa_enabled,
    (document #>> '{AccountSummary,AccountAccessKeysPresent}')::integer = 1 as has_root_access_keys,
    document ->> 'RootVirtualMFADevice' is not null as has_root_virtual_mfa,
    document ->> 'RootUser' is not null as is_root_reported,
    jsonb_array_length(document -> 'SupportRoles') as support_role_count
from {{ source('aws', 'resources') }}
where resource_type = 'iam_account'
