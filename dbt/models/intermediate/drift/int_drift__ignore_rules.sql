-- The drift.ignore rules of the settings (dbt var drift_ignore, compiled by cloudforge/terraform/drift.py into
-- anchored regular expressions), in order: the last rule that matches decides.
select
    (rule ->> 'position')::integer as rule_position,
    rule ->> 'type_regex' as type_regex,
    rule ->> 'id_regex' as id_regex,
    (rule ->> 'negated')::boolean as is_negation,
    rule -> 'attribute_regexes' as attribute_regexes,
    jsonb_array_length(rule -> 'attribute_regexes') > 0 as is_attribute_rule,
    nullif(rule ->> 'reason', '') as reason
from jsonb_array_elements('{{ tojson(var("drift_ignore")) | replace("'", "''") }}'::jsonb) as rule
