with canonical_tags as (
    select
        resource_key,
        max(normalized_value) filter (where normalized_key = 'team') as team,
        max(normalized_value) filter (where normalized_key = 'project') as project,
        max(normalized_value) filter (where normalized_key = 'env') as env,
        max(normalized_value) filter (where normalized_key = 'owner') as owner
    from {{ ref('int_resource_tags_resolved') }}
    where normalized_key in ('team', 'project', 'env', 'owner')
    group by resource_key
)

select
    resources.resource_key,
    resources.cloud,
    resources.account_id,
    resources.region,
    resources.resource_type,
    resources.resource_id,
    resources.arn,
    resources.name,
    resources.state,
    resources.created_at,
    resources.tags,
    canonical_tags.team,
    canonical_tags.project,
    canonical_tags.env,
    canonical_tags.owner,
    resources.configuration,
    resources.synced_at
from {{ ref('int_aws__resources_unioned') }} as resources
left join canonical_tags
    on canonical_tags.resource_key = resources.resource_key
