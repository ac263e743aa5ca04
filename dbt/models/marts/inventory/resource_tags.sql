select
    resource_key,
    tag_key,
    tag_value,
    canonical_key
from {{ ref('int_resource_tags_mapped') }}
