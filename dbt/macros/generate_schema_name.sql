{#- Layers land in plain schemas (staging, intermediate, marts), not dbt's default <target>_<custom>,
    so SQL users query marts.resources whatever the target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
