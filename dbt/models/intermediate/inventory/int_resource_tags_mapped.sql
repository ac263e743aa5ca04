-- One row per tag as found, with the key it means. See the tag_normalisation doc for the rules.
with tags as (
    select
        resources.resource_key,
        tag.key as tag_key,
        tag.value as tag_value,
        lower(trim(tag.key)) as folded_key
    from {{ ref('int_aws__resources_unioned') }} as resources
    cross join lateral jsonb_each_text(resources.tags) as tag
)

select
    tags.resource_key,
    tags.tag_key,
    tags.tag_value,
    synonyms.canonical_key,
    coalesce(synonyms.canonical_key, tags.folded_key) as normalized_key,
    nullif(lower(trim(tags.tag_value)), '') as normalized_value,
    case
        when tags.tag_key = coalesce(synonyms.canonical_key, tags.folded_key) then 0
        when tags.folded_key = coalesce(synonyms.canonical_key, tags.folded_key) then 1
        else 2
    end as key_rank
from tags
left join {{ ref('tag_key_synonyms') }} as synonyms
    on synonyms.raw_key = tags.folded_key
