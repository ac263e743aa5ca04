{#- The dbt var `recommendations` (cloudforge settings.recommendations: thresholds and dismissals) as a SQL jsonb
    literal, its quotes escaped so any text in it stays a string; recommendation_setting('idle_cpu_percent') is one
    number of it. -#}
{% macro recommendation_config_json() -%}
    {%- set config = var('recommendations') -%}
    {%- if config is not mapping -%}
        {{ exceptions.raise_compiler_error("var recommendations must be a mapping; got " ~ config) }}
    {%- endif -%}
    '{{ tojson(config) | replace("'", "''") }}'::jsonb
{%- endmacro %}

{% macro recommendation_setting(key) -%}
    ({{ recommendation_config_json() }} ->> '{{ key }}')::numeric
{%- endmacro %}
