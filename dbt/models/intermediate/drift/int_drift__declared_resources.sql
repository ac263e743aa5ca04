-- What the Terraform states declare, one row per resource (type, id and account): a resource declared by several
-- states (a conflict) is judged by its first declaration (by state file, then address) and lists them all in
-- declared_by. One window serves the rank and the list (two windows ordered alike were two passes over the rows).
with declared as (
    select
        *,
        row_number() over declarations as declaration_rank,
        jsonb_agg(state_uri || ' ' || address) over declarations as declared_by
    from {{ ref('stg_terraform__declared_resources') }}
    where not is_data_source and resource_type is not null and resource_id is not null
    window declarations as (
        partition by resource_type, resource_id, account_id order by state_uri collate "C", address collate "C"
        rows between unbounded preceding and unbounded following
    )
)

select
    declared.state_uri,
    declared.address,
    declared.terraform_type,
    declared.resource_type,
    declared.resource_id,
    declared.account_id,
    declared.region,
    declared.declared_attributes,
    declared.declared_by,
    jsonb_array_length(declared.declared_by) > 1 as is_conflict
from declared
where declared.declaration_rank = 1
