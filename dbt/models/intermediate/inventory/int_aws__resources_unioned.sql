{#- Every AWS staging model in one shape. Add a resource type by adding its staging model here. -#}
{%- set staging_models = [
    'stg_aws__ec2_instances',
    'stg_aws__ebs_volumes',
    'stg_aws__ebs_snapshots',
    'stg_aws__elastic_ips',
    'stg_aws__security_groups',
    'stg_aws__vpcs',
    'stg_aws__subnets',
    'stg_aws__s3_buckets',
    'stg_aws__rds_instances',
    'stg_aws__iam_users',
    'stg_aws__iam_roles',
    'stg_aws__iam_password_policies',
    'stg_aws__iam_accounts',
    'stg_aws__iam_policies',
    'stg_aws__iam_server_certificates',
    'stg_aws__lambda_functions',
    'stg_aws__load_balancers',
    'stg_aws__kms_keys',
    'stg_aws__cloudwatch_log_groups',
    'stg_aws__cloudtrail_trails',
    'stg_aws__network_acls',
    'stg_aws__ebs_encryption_defaults',
    'stg_aws__config_recorders',
    'stg_aws__security_hubs',
    'stg_aws__guardduty_detectors',
    'stg_aws__efs_file_systems',
    'stg_aws__cloudtrail_accounts',
    'stg_aws__access_analyzers',
] -%}

with unioned as (
    {% for model in staging_models %}
    select account_id, region, resource_type, resource_id, arn, name, state, created_at, tags, document, synced_at
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- Tags as an object, original key -> value. Entries without a string Key are dropped (the aws_tag_list
-- source test reports them); AWS allows no duplicate keys, so no value is lost.
with_tag_object as (
    select
        unioned.*,
        (
            select coalesce(jsonb_object_agg(tag ->> 'Key', coalesce(tag ->> 'Value', '')), '{}'::jsonb)
            from jsonb_array_elements(
                case when jsonb_typeof(unioned.tags) = 'array' then unioned.tags else '[]'::jsonb end
            ) as tag
            where jsonb_typeof(tag -> 'Key') = 'string'
        ) as tag_object
    from unioned
)

select
    'aws' as cloud,
    concat_ws('/', 'aws', account_id, region, resource_type, resource_id) as resource_key,
    account_id,
    region,
    resource_type,
    resource_id,
    arn,
    coalesce(nullif(trim(name), ''), nullif(trim(tag_object ->> 'Name'), ''), resource_id) as name,
    state,
    created_at,
    tag_object as tags,
    document as configuration,
    synced_at
from with_tag_object
