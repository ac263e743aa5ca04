with canonical_tags as (
    {{ canonical_tag_columns(ref('int_resource_tags_resolved'), 'resource_key') | indent(4) }}
)

select
    resources.resource_key,
    resources.cloud,
    resources.account_id,
    resources.region,
    resources.resource_type,
    resources.resource_id,
    resources.arn,
    resources.name,
    resources.state,
    resources.created_at,
    resources.tags,
    canonical_tags.team,
    canonical_tags.project,
    canonical_tags.env,
    canonical_tags.owner,
    resources.configuration,
    resources.synced_at,
    provisioned.request_id as provisioned_by_request
from {{ ref('int_aws__resources_unioned') }} as resources
left join canonical_tags
    on canonical_tags.resource_key = resources.resource_key
left join {{ ref('int_provisioning__nodes_inventoried') }} as provisioned
    on provisioned.resource_key = resources.resource_key
    and provisioned.inventory_status = 'in inventory'
