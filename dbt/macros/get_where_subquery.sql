{#- dbt's `where` config of data tests (dbt's default, overridden here to add one placeholder): a test whose `where`
    holds __latest_build__ checks the rows the latest build of its model wrote, those whose built_at is the
    latest. A full build writes every row, so the test checks them all; an incremental build by billing slice
    writes the changed slices only, and the rows it left were checked by the build that wrote them. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set latest_build = "built_at = (select max(built_at) from " ~ relation ~ ")" -%}
        {%- do return("(select * from " ~ relation ~ " where " ~ where | replace('__latest_build__', latest_build)
                      ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
