{#- Post-hook of every model: a model that declares a build version (config: {meta: {build_version: N}}) records
    it in its table's comment. `cloudforge run` (pipelines/dbt_upgrade.py) rebuilds an incremental model in full
    when the version its table records is not the one the model declares: raise the version when a release
    changes what existing rows mean (a key's definition, say), which the columns alone do not show. -#}
{% macro record_build_version() -%}
    {%- set version = model.config.get('meta', {}).get('build_version') -%}
    {%- if version is not none -%}
        comment on table {{ this }} is {{ dbt.string_literal('cloudforge build_version ' ~ version) }}
    {%- endif -%}
{%- endmacro %}
