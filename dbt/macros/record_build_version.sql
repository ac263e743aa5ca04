{#- Post-hook of every model: a model that declares a build version (config: {meta: {build_version: N}}) records
    it in its table's comment. `cloudforge run` (pipelines/dbt_upgrade.py) rebuilds an incremental model in full
    when the version its table records is not the one the model declares: raise the version when a release
    changes what existing rows mean (a key's definition, say), which the columns alone do not show. The comment is
    written only when it differs: COMMENT takes a lock that waits for autovacuum on the table (1 s, until the
    vacuum gives way), which an incremental build of a table that already records its version need not. -#}
{% macro record_build_version() -%}
    {%- set version = model.config.get('meta', {}).get('build_version') -%}
    {%- if version is not none -%}
        {%- set comment = dbt.string_literal('cloudforge build_version ' ~ version) -%}
        do $record_build_version$
        begin
            if obj_description({{ dbt.string_literal(this.render()) }}::regclass, 'pg_class')
                is distinct from {{ comment }} then
                comment on table {{ this }} is {{ comment }};
            end if;
        end
        $record_build_version$
    {%- endif -%}
{%- endmacro %}
