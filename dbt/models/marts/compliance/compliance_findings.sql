{#- The findings that stand now (open or waived), with what SQL users and the dashboard need beside them:
    the resource's owners, the policy's remediation and controls, and the waiver that hides a waived one. -#}
with controls as (
    select
        policy_id,
        array_agg(distinct framework order by framework) as frameworks,
        array_agg(framework || ' ' || control_id order by framework, control_id) as controls
    from {{ ref('int_policy_controls') }}
    group by policy_id
)

select
    findings.finding_id,
    findings.policy_id,
    coalesce(policies.policy_title, findings.policy_id) as policy_title,
    findings.severity,
    policies.category,
    findings.status,
    findings.message,
    policies.remediation,
    coalesce(controls.frameworks, array[]::text[]) as frameworks,
    coalesce(controls.controls, array[]::text[]) as controls,
    findings.resource_key,
    findings.resource_id,
    coalesce(resources.name, findings.resource_id) as resource_name,
    findings.resource_type,
    coalesce(resources.cloud, 'aws') as cloud,
    findings.account_id,
    findings.region,
    resources.team,
    resources.project,
    resources.env,
    resources.owner,
    findings.first_seen_at,
    findings.last_seen_at,
    findings.status_changed_at,
    waivers.waiver_id,
    waivers.waiver_reason,
    waivers.waiver_owner,
    waivers.expires_on as waiver_expires_on
from {{ ref('stg_policies__findings') }} as findings
left join {{ ref('stg_policies__policies') }} as policies
    on policies.policy_id = findings.policy_id
left join controls
    on controls.policy_id = findings.policy_id
left join {{ ref('resources') }} as resources
    on resources.resource_key = findings.resource_key
left join {{ ref('stg_policies__waivers') }} as waivers
    on waivers.waiver_id = findings.waiver_id
where findings.status in ('open', 'waived')
