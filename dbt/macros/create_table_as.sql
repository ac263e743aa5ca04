{#- dbt-postgres' create_table_as (overridden here): with the model config tmp_relation_type='view', the temporary
    relation of an incremental build is a view, so the build inserts the model's rows straight into its table. The
    cost models select only the rows they append (their changed billing slices), and dbt's temporary table of
    them was a second copy of that work: written whole, then read back by the insert. Any other relation is
    created as dbt-postgres creates it. -#}
{% macro postgres__create_table_as(temporary, relation, sql) -%}
    {%- if temporary and config.get('tmp_relation_type') == 'view' -%}
        {%- if config.get('contract').enforced %}
            {{ get_assert_columns_equivalent(sql) }}
        {%- endif %}
        create temporary view {{ relation }} as (
            {{ sql }}
        );
    {%- else -%}
        {{ dbt.postgres__create_table_as(temporary, relation, sql) }}
    {%- endif -%}
{%- endmacro %}
