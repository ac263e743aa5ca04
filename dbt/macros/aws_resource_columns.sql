{#- The columns every AWS staging model shares: the raw row's identity, its Tags list, document and sync.
    Each model adds name, state and created_at (null where the API has none) and its typed columns. -#}
{% macro aws_resource_columns() -%}
    account_id,
    region,
    resource_type,
    resource_id,
    arn,
    document -> 'Tags' as tags,
    document,
    sync_id,
    synced_at
{%- endmacro %}
