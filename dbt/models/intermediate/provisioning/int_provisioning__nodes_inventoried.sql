{#- Every node the ledger holds as created, and how the latest inventory sync found it. The tag keys are
    provisioners/graph.py's REQUEST_TAG and NODE_TAG, the states those of a resource the API still lists
    after it went. -#}
{%- set gone_states = "('terminated', 'shutting-down', 'deleted', 'deleting')" -%}

with created_nodes as (
    select
        nodes.request_id,
        nodes.node_id,
        nodes.address,
        nodes.terraform_type,
        nodes.physical_id,
        nodes.updated_at as created_at,
        requests.account_id,
        types.inventory_type,
        nodes.attributes ->> types.id_attribute as inventory_resource_id
    from {{ ref('stg_provisioning__nodes') }} as nodes
    inner join {{ ref('stg_provisioning__requests') }} as requests
        on requests.request_id = nodes.request_id
    left join {{ ref('terraform_resource_types') }} as types
        on types.terraform_type = nodes.terraform_type
    where nodes.node_status = 'created'
),

live_resources as (
    select resource_key, account_id, resource_type, resource_id, tags
    from {{ ref('int_aws__resources_unioned') }}
    where coalesce(state, '') not in {{ gone_states }}
),

matched as (
    select
        created_nodes.*,
        by_tags.resource_key as tagged_resource_key,
        by_id.resource_key as untagged_resource_key
    from created_nodes
    left join live_resources as by_tags
        on by_tags.account_id = created_nodes.account_id
        and by_tags.resource_type = created_nodes.inventory_type
        and by_tags.tags ->> 'cloudforge:request' = created_nodes.request_id
        and by_tags.tags ->> 'cloudforge:node' = created_nodes.node_id
    left join live_resources as by_id
        on by_id.account_id = created_nodes.account_id
        and by_id.resource_type = created_nodes.inventory_type
        and by_id.resource_id = created_nodes.inventory_resource_id
)

select distinct on (request_id, node_id)
    request_id,
    node_id,
    address,
    terraform_type,
    physical_id,
    created_at,
    inventory_type,
    coalesce(tagged_resource_key, untagged_resource_key) as resource_key,
    case
        when inventory_type is null then 'not inventoried'
        when tagged_resource_key is not null then 'in inventory'
        when untagged_resource_key is not null then 'tags changed'
        else 'missing'
    end as inventory_status
from matched
order by request_id, node_id, tagged_resource_key nulls last
