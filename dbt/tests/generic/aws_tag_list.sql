{#- Rows whose AWS document does not carry "Tags" as a list of {"Key": string, "Value": string}.
    Downstream models drop such tags (the resource stays, untagged), so this warns rather than fails. -#}
{% test aws_tag_list(model, column_name) %}

with documents as (
    select
        {{ column_name }} as document,
        case when jsonb_typeof({{ column_name }} -> 'Tags') = 'array' then {{ column_name }} -> 'Tags' end as tag_list
    from {{ model }}
)

select document
from documents
where tag_list is null
    or exists (
        select 1
        from jsonb_array_elements(tag_list) as tag
        where jsonb_typeof(tag -> 'Key') is distinct from 'string'
            or jsonb_typeof(tag -> 'Value') is distinct from 'string'
    )

{% endtest %}
