{#- Every (framework, control) a policy maps to, from its METADATA. Every policy also counts once under the
    framework 'cloudforge' with its own id as the control, so posture covers cost and tagging policies too. -#}
select
    policies.policy_id,
    frameworks.framework,
    controls.control_id
from {{ ref('stg_policies__policies') }} as policies
cross join lateral jsonb_each(policies.frameworks) as frameworks (framework, control_ids)
cross join lateral jsonb_array_elements_text(frameworks.control_ids) as controls (control_id)

union all

select
    policy_id,
    'cloudforge' as framework,
    policy_id as control_id
from {{ ref('stg_policies__policies') }}
