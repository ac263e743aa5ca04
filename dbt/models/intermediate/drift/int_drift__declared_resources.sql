-- What the Terraform states declare, one row per resource (type, id and account): a resource declared by several
-- states (a conflict) is judged by its first declaration (by state file, then address) and lists them all in
-- declared_by.
with declared as (
    select
        *,
        row_number() over (
            partition by resource_type, resource_id, account_id order by state_uri collate "C", address collate "C"
        ) as declaration_rank,
        jsonb_agg(state_uri || ' ' || address) over (
            partition by resource_type, resource_id, account_id order by state_uri collate "C", address collate "C"
            rows between unbounded preceding and unbounded following
        ) as declared_by
    from {{ ref('stg_terraform__declared_resources') }}
    where not is_data_source and resource_type is not null and resource_id is not null
),

declared_tags as (
    select address_key, case when jsonb_typeof(tags) = 'object' then tags else '{}'::jsonb end as tags
    from (
        select state_uri || ' ' || address as address_key, declared_attributes -> 'tags' as tags
        from declared
        where declaration_rank = 1
    ) as tagged
),

normalized as (
    {{ normalized_tags('declared_tags', 'address_key') | indent(4) }}
),

resolved as (
    {{ resolved_tags('normalized', 'address_key') | indent(4) }}
),

teams as (
    {{ canonical_tag_columns('resolved', 'address_key') | indent(4) }}
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
    jsonb_array_length(declared.declared_by) > 1 as is_conflict,
    teams.team
from declared
left join teams
    on teams.address_key = declared.state_uri || ' ' || declared.address
where declared.declaration_rank = 1
