-- One value per resource and normalized key: the best-ranked tag with a non-empty value wins.
{{ resolved_tags(ref('int_resource_tags_mapped'), 'resource_key') }}
