select
    nodes.request_id,
    requests.request_name,
    requests.blueprint,
    requests.team,
    requests.account_id,
    requests.region,
    requests.request_status,
    nodes.node_id,
    nodes.address,
    nodes.terraform_type,
    nodes.physical_id,
    nodes.created_at,
    nodes.inventory_type,
    nodes.resource_key,
    nodes.inventory_status
from {{ ref('int_provisioning__nodes_inventoried') }} as nodes
inner join {{ ref('stg_provisioning__requests') }} as requests
    on requests.request_id = nodes.request_id
