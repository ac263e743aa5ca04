-- Every compared attribute whose declared and live values differ (a blank value, null "" [] {}, is no value): the
-- attributes both sides have, tags key by key (tags.<key>), with the attribute ignore rule that covers it, if any.
-- Tags are expanded only where the two tag objects differ: equal objects have no differing key; an attribute whose
-- two values are equal is not blanked to be compared again. pairs is not materialized: both branches read the table.
with pairs as not materialized (
    select resource_key, resource_type, terraform_type, resource_id, declared_attributes, live_attributes
    from {{ ref('int_drift__resource_pairs') }}
    where is_declared and is_running
),

-- Each pair's attribute names by a set-returning function in the select list: in from, it was a function scan that
-- wrote every pair's names into a store of their own first.
attribute_keys as (
    select
        resource_key,
        resource_type,
        terraform_type,
        resource_id,
        declared_attributes,
        live_attributes,
        jsonb_object_keys(declared_attributes) as name
    from pairs
),

-- The tag keys of either side (the keys of the two objects merged), only where the tag objects differ.
tag_keys as (
    select
        resource_key,
        resource_type,
        terraform_type,
        resource_id,
        declared_tags,
        live_tags,
        jsonb_object_keys(declared_tags || live_tags) as tag_key
    from (
        select
            *,
            case when jsonb_typeof(declared_attributes -> 'tags') = 'object'
                then declared_attributes -> 'tags' else '{}'::jsonb end as declared_tags,
            case when jsonb_typeof(live_attributes -> 'tags') = 'object'
                then live_attributes -> 'tags' else '{}'::jsonb end as live_tags
        from pairs
        where declared_attributes ? 'tags' and live_attributes ? 'tags'
            and declared_attributes -> 'tags' is distinct from live_attributes -> 'tags'
    ) as tagged
),

compared as (
    select
        resource_key,
        resource_type,
        terraform_type,
        resource_id,
        name as attribute_path,
        {{ drift_blank('declared_attributes -> name') }} as declared_value,
        {{ drift_blank('live_attributes -> name') }} as live_value
    from attribute_keys
    where name <> 'tags' and live_attributes ? name
        and declared_attributes -> name is distinct from live_attributes -> name

    union all

    select
        resource_key,
        resource_type,
        terraform_type,
        resource_id,
        'tags.' || tag_key,
        {{ drift_blank('declared_tags -> tag_key') }},
        {{ drift_blank('live_tags -> tag_key') }}
    from tag_keys
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
