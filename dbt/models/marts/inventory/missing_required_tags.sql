-- Resources lacking at least one required tag (var required_tags), after tag normalisation.
with required_tags as (
    select tag_key, position
    from unnest({{ required_tags() }}) with ordinality as required (tag_key, position)
),

missing as (
    select
        resources.resource_key,
        array_agg(required_tags.tag_key order by required_tags.position) as missing_tags
    from {{ ref('resources') }} as resources
    cross join required_tags
    where not exists (
        select 1
        from {{ ref('int_resource_tags_resolved') }} as tags
        where tags.resource_key = resources.resource_key
            and tags.normalized_key = required_tags.tag_key
    )
    group by resources.resource_key
)

select resource_key, missing_tags
from missing
