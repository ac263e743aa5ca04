{#- A part of the dbt var `costs` (cloudforge settings.costs: allocation rules, shared pools, budgets, anomaly
    detection) as a SQL jsonb literal, for models to read with jsonb functions. The var is configuration, not
    data; it is rendered as JSON and its quotes are escaped, so any text in it stays a string. -#}
{% macro cost_config_json(key) -%}
    {%- set costs = var('costs') -%}
    {%- if costs is not mapping or key not in costs -%}
        {{ exceptions.raise_compiler_error("var costs must be a mapping with the key " ~ key ~ "; got " ~ costs) }}
    {%- endif -%}
    '{{ tojson(costs[key]) | replace("'", "''") }}'::jsonb
{%- endmacro %}

{#- A number of the var `costs` as a SQL numeric: cost_config_number('forecast_window_days'), or a field of a
    section, cost_config_number('anomalies', 'min_impact'). -#}
{% macro cost_config_number(key, field=none) -%}
    ({{ cost_config_json(key) }} {{ "#>> '{}'" if field is none else "->> '" ~ field ~ "'" }})::numeric
{%- endmacro %}

{#- A key of the allocation rules (costs.shared_pools, tag_rules and account_defaults) as a uuid: what
    cost_attribution's rows were attributed by, so a build under other rules attributes them again. A scalar
    subquery, so it is computed once per statement, not once per row. -#}
{% macro cost_allocation_rules_id() -%}
    (select md5(jsonb_build_array(
        {{ cost_config_json('shared_pools') }}, {{ cost_config_json('tag_rules') }},
        {{ cost_config_json('account_defaults') }}
    )::text)::uuid)
{%- endmacro %}
