{#- Drift's canonical shapes in SQL, the same as cloudforge/terraform/drift.py gives declared attributes. -#}

{#- A value that says nothing (null, "", [], {}) as SQL null. -#}
{% macro drift_blank(value) -%}
    (case when {{ value }} in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb) then null else {{ value }} end)
{%- endmacro %}

{#- An EC2 rule list (IpPermissions, IpPermissionsEgress) as sorted "<protocol> <from>-<to> <source>" strings; a
    rule naming the group itself is "self". -#}
{% macro drift_rules(document, key, group_id) -%}
(
    select coalesce(jsonb_agg(distinct rules.rule order by rules.rule), '[]'::jsonb)
    from jsonb_array_elements(coalesce({{ document }} -> '{{ key }}', '[]'::jsonb)) as permission
    cross join lateral (
        select (
            case when permission ->> 'IpProtocol' in ('-1', 'all') then 'all'
                else lower(permission ->> 'IpProtocol') || ' ' || (permission ->> 'FromPort') || '-'
                    || (permission ->> 'ToPort')
            end || ' ' || sources.source
        ) collate "C" as rule
        from (
            select item ->> 'CidrIp' from jsonb_array_elements(coalesce(permission -> 'IpRanges', '[]')) as item
            union all
            select item ->> 'CidrIpv6' from jsonb_array_elements(coalesce(permission -> 'Ipv6Ranges', '[]')) as item
            union all
            select item ->> 'PrefixListId'
            from jsonb_array_elements(coalesce(permission -> 'PrefixListIds', '[]')) as item
            union all
            select case when item ->> 'GroupId' = {{ group_id }} then 'self' else item ->> 'GroupId' end
            from jsonb_array_elements(coalesce(permission -> 'UserIdGroupPairs', '[]')) as item
        ) as sources (source)
    ) as rules
)
{%- endmacro %}

{#- The strings at `field` of each element of a list (or the list's strings themselves), sorted; a list of none or
    one needs no sort (most are: an instance's security groups, a function's architectures). -#}
{% macro drift_sorted(list, field=none) -%}
{%- set items = "coalesce(" ~ list ~ ", '[]'::jsonb)" -%}
{%- set value = "->> '" ~ field ~ "'" if field else "#>> '{}'" -%}
(
    case jsonb_array_length({{ items }})
        when 0 then '[]'::jsonb
        when 1 then jsonb_build_array({{ items }} -> 0 {{ value }})
        else (
            select jsonb_agg(value order by value)
            from (
                select (item {{ value }}) collate "C" as value
                from jsonb_array_elements({{ items }}) as item
            ) as items
        )
    end
)
{%- endmacro %}
