-- One row per tag as found, with the key it means. See the tag_normalisation doc for the rules.
{{ normalized_tags(ref('int_aws__resources_unioned'), 'resource_key') }}
