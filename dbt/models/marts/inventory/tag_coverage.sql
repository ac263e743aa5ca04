-- Required-tag coverage per cloud, account and team; resources without a team count as 'unassigned'.
with resources as (
    select
        resources.cloud,
        resources.account_id,
        coalesce(resources.team, 'unassigned') as team,
        missing.missing_tags
    from {{ ref('resources') }} as resources
    left join {{ ref('missing_required_tags') }} as missing
        on missing.resource_key = resources.resource_key
),

required_tags as (
    select tag_key
    from unnest({{ required_tags() }}) as required (tag_key)
),

missing_counts as (
    select cloud, account_id, team, jsonb_object_agg(tag_key, missing_count) as missing_tag_counts
    from (
        select
            resources.cloud,
            resources.account_id,
            resources.team,
            required_tags.tag_key,
            count(*) filter (where required_tags.tag_key = any(resources.missing_tags)) as missing_count
        from resources
        cross join required_tags
        group by resources.cloud, resources.account_id, resources.team, required_tags.tag_key
    ) as per_tag
    group by cloud, account_id, team
),

coverage as (
    select
        cloud,
        account_id,
        team,
        count(*) as resource_count,
        count(*) filter (where missing_tags is null) as compliant_resource_count
    from resources
    group by cloud, account_id, team
)

select
    coverage.cloud,
    coverage.account_id,
    coverage.team,
    coverage.resource_count,
    coverage.compliant_resource_count,
    round(coverage.compliant_resource_count::numeric / coverage.resource_count, 4) as coverage_ratio,
    coalesce(missing_counts.missing_tag_counts, '{}'::jsonb) as missing_tag_counts
from coverage
left join missing_counts
    on missing_counts.cloud = coverage.cloud
    and missing_counts.account_id = coverage.account_id
    and missing_counts.team = coverage.team
