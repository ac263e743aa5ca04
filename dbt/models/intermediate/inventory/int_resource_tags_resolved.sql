-- One value per resource and normalized key: the best-ranked tag with a non-empty value wins.
select distinct on (resource_key, normalized_key)
    resource_key,
    normalized_key,
    normalized_value,
    tag_key as source_tag_key
from {{ ref('int_resource_tags_mapped') }}
where normalized_value is not null
order by resource_key, normalized_key, key_rank, tag_key collate "C"
