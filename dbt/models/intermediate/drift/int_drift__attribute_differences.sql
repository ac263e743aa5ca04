-- Every compared attribute whose declared and live values differ (a blank value, null "" [] {}, is no value): the
-- attributes both sides have, tags key by key (tags.<key>), with the attribute ignore rule that covers it, if any.
-- Tags are expanded only where the two tag objects differ: equal objects have no differing key; an attribute whose
-- two values are equal is not blanked to be compared again. pairs is not materialized: both branches read the table.
with pairs as not materialized (
    select resource_key, resource_type, terraform_type, resource_id, declared_attributes, live_attributes
    from {{ ref('int_drift__resource_pairs') }}
    where is_declared and is_running
),

compared as (
    select
        pairs.resource_key,
        pairs.resource_type,
        pairs.terraform_type,
        pairs.resource_id,
        attribute.name as attribute_path,
        {{ drift_blank('pairs.declared_attributes -> attribute.name') }} as declared_value,
        {{ drift_blank('pairs.live_attributes -> attribute.name') }} as live_value
    from pairs
    cross join lateral jsonb_object_keys(pairs.declared_attributes) as attribute (name)
    where attribute.name <> 'tags' and pairs.live_attributes ? attribute.name
        and pairs.declared_attributes -> attribute.name is distinct from pairs.live_attributes -> attribute.name

    union all

    select
        pairs.resource_key,
        pairs.resource_type,
        pairs.terraform_type,
        pairs.resource_id,
        'tags.' || tag.key,
        {{ drift_blank('pairs.declared_attributes -> \'tags\' -> tag.key') }},
        {{ drift_blank('pairs.live_attributes -> \'tags\' -> tag.key') }}
    from pairs
    cross join lateral (
        select jsonb_object_keys(
            case when jsonb_typeof(pairs.declared_attributes -> 'tags') = 'object'
                then pairs.declared_attributes -> 'tags' else '{}'::jsonb end
        )
        union
        select jsonb_object_keys(
            case when jsonb_typeof(pairs.live_attributes -> 'tags') = 'object'
                then pairs.live_attributes -> 'tags' else '{}'::jsonb end
        )
    ) as tag (key)
    where pairs.declared_attributes ? 'tags' and pairs.live_attributes ? 'tags'
        and pairs.declared_attributes -> 'tags' is distinct from pairs.live_attributes -> 'tags'
),

differing as (
    select * from compared
    where declared_value is distinct from live_value
),

deciding_rule as (
    select distinct on (differing.resource_key, differing.attribute_path)
        differing.resource_key,
        differing.attribute_path,
        rules.is_negation,
        rules.reason
    from differing
    inner join {{ ref('int_drift__ignore_rules') }} as rules
        on rules.is_attribute_rule
        and (differing.resource_type ~ rules.type_regex or differing.terraform_type ~ rules.type_regex)
        and differing.resource_id ~ rules.id_regex
        and exists (
            select from jsonb_array_elements_text(rules.attribute_regexes) as path (regex)
            where differing.attribute_path ~ path.regex
        )
    order by differing.resource_key, differing.attribute_path, rules.rule_position desc
)

select
    differing.resource_key,
    differing.attribute_path,
    differing.declared_value,
    differing.live_value,
    coalesce(not deciding_rule.is_negation, false) as is_ignored,
    case when not deciding_rule.is_negation then deciding_rule.reason end as ignore_reason,
    split_part(differing.attribute_path, '.', 1) in (
        {%- for name in var('drift_security_attributes') %}
        '{{ name }}'{{ "," if not loop.last }}
        {%- endfor %}
    ) as is_security_relevant
from differing
left join deciding_rule
    on deciding_rule.resource_key = differing.resource_key
    and deciding_rule.attribute_path = differing.attribute_path
