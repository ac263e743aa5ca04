{#- One row per event in a resource's history, read from the snapshot's versions in order: its first version
    (discovered when it came with its account's first inventory day, else created), every later version
    (changed, with the document's top-level keys that differ), a deletion record (deleted) and a version after
    one (created again). -#}
with versions as (
    select
        resource_key,
        account_id,
        region,
        resource_type,
        resource_id,
        name,
        team,
        configuration,
        dbt_valid_from as changed_at,
        dbt_is_deleted = 'True' as is_deletion,
        lag(configuration) over by_resource as previous_configuration,
        lag(dbt_is_deleted) over by_resource as previous_is_deleted
    from {{ ref('resources_snapshot') }}
    window by_resource as (partition by resource_key order by dbt_valid_from, dbt_updated_at)
),

first_inventory_days as (
    select account_id, min((dbt_valid_from at time zone 'utc')::date) as first_inventory_date
    from {{ ref('resources_snapshot') }}
    group by account_id
),

events as (
    select
        versions.*,
        case
            when is_deletion then 'deleted'
            when previous_is_deleted is null
                and (changed_at at time zone 'utc')::date = first_inventory_days.first_inventory_date
                then 'discovered'
            when previous_is_deleted is null or previous_is_deleted = 'True' then 'created'
            else 'changed'
        end as change_type
    from versions
    inner join first_inventory_days using (account_id)
),

attribute_changes as (
    select
        events.resource_key,
        events.changed_at,
        array_agg(changed.key order by changed.key) as changed_attributes,
        jsonb_object_agg(
            changed.key,
            jsonb_build_object(
                'before', events.previous_configuration -> changed.key,
                'after', events.configuration -> changed.key
            )
        ) as attribute_changes
    from events
    cross join lateral (
        select key from jsonb_object_keys(events.previous_configuration || events.configuration) as key
        where events.previous_configuration -> key is distinct from events.configuration -> key
    ) as changed
    where events.change_type = 'changed'
    group by events.resource_key, events.changed_at
)

select
    concat_ws('@', events.resource_key, to_char(events.changed_at at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        as change_key,
    (events.changed_at at time zone 'utc')::date as change_date,
    events.changed_at,
    events.change_type,
    events.resource_key,
    events.account_id,
    events.region,
    events.resource_type,
    events.resource_id,
    events.name,
    events.team,
    coalesce(attribute_changes.changed_attributes, '{}'::text[]) as changed_attributes,
    coalesce(attribute_changes.attribute_changes, '{}'::jsonb) as attribute_changes
from events
left join attribute_changes
    on attribute_changes.resource_key = events.resource_key
    and attribute_changes.changed_at = events.changed_at
