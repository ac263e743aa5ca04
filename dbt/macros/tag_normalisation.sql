{#- Tag normalisation (the tag_normalisation doc), shared by the inventory and the billing models so a tag means
    the same on a resource and on a billing line. Each macro renders one select over a relation or CTE name;
    key_column identifies what carries the tags (a resource key, or the tags object itself). -#}

{#- One row per tag as found, with the key it means: (key_column, tag_key, tag_value, canonical_key,
    normalized_key, normalized_value, key_rank). tags_column holds an object, original key -> value. -#}
{% macro normalized_tags(relation, key_column, tags_column='tags') -%}
select
    tags.{{ key_column }},
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
from (
    select
        tagged.{{ key_column }},
        tag.key as tag_key,
        tag.value as tag_value,
        lower(trim(tag.key)) as folded_key
    from {{ relation }} as tagged
    cross join lateral jsonb_each_text(tagged.{{ tags_column }}) as tag
    offset 0  -- every tag first, then one hash join with the synonyms, not one join per tagged row
) as tags
left join {{ ref('tag_key_synonyms') }} as synonyms
    on synonyms.raw_key = tags.folded_key
{%- endmacro %}

{#- One value per key_column and normalized key: the best-ranked tag with a non-empty value wins. -#}
{% macro resolved_tags(normalized, key_column) -%}
select distinct on ({{ key_column }}, normalized_key)
    {{ key_column }},
    normalized_key,
    normalized_value,
    tag_key as source_tag_key
from {{ normalized }}
where normalized_value is not null
order by {{ key_column }}, normalized_key, key_rank, tag_key collate "C"
{%- endmacro %}

{#- The canonical tags as columns (team, project, env, owner), one row per key_column that has any. -#}
{% macro canonical_tag_columns(resolved, key_column) -%}
select
    {{ key_column }},
    max(normalized_value) filter (where normalized_key = 'team') as team,
    max(normalized_value) filter (where normalized_key = 'project') as project,
    max(normalized_value) filter (where normalized_key = 'env') as env,
    max(normalized_value) filter (where normalized_key = 'owner') as owner
from {{ resolved }}
where normalized_key in ('team', 'project', 'env', 'owner')
group by {{ key_column }}
{%- endmacro %}

{#- The canonical value of one key (team, project, env, owner) of one tags object, as a scalar subquery: for the few
    rows that need it, where joining every row's tags to the synonyms first would cost more than it saves. -#}
{% macro canonical_tag_value(tags, key) -%}
(
    with tagged as (select 1 as tagged_key, {{ tags }} as tags),
    normalized as ({{ normalized_tags('tagged', 'tagged_key') }}),
    resolved as ({{ resolved_tags('normalized', 'tagged_key') }})
    select normalized_value from resolved where normalized_key = '{{ key }}'
)
{%- endmacro %}
