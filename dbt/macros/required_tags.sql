{#- The dbt var required_tags (a list of tag keys) as a SQL text[] of normalized keys, in the var's order.
    Keys are folded like tag keys (trimmed, lower-cased); quotes are escaped, the var is configuration. -#}
{% macro required_tags() -%}
    {%- set keys = var('required_tags') -%}
    {%- if keys is string or keys is mapping or keys is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "var required_tags must be a list of tag keys, e.g. ['team', 'env']; got " ~ keys) }}
    {%- endif -%}
    array[
        {%- for key in keys -%}
            '{{ key | string | trim | lower | replace("'", "''") }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    ]::text[]
{%- endmacro %}
