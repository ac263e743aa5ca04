{#- Every waiver with its expiry as of this build, the policy it names and how many findings it hides now. -#}
with waived as (
    select waiver_id, count(*) as waived_findings
    from {{ ref('stg_policies__findings') }}
    where status = 'waived'
    group by waiver_id
)

select
    waivers.waiver_id,
    waivers.waiver_origin,
    waivers.policy_id,
    policies.policy_title,
    policies.policy_id is not null as is_known_policy,
    waivers.resource_pattern,
    waivers.waiver_reason,
    waivers.waiver_owner,
    waivers.expires_on,
    waivers.expires_on >= {{ today() }} as is_active,
    waivers.expires_on - {{ today() }} as days_until_expiry,
    coalesce(waived.waived_findings, 0) as waived_findings,
    waivers.created_at
from {{ ref('stg_policies__waivers') }} as waivers
left join {{ ref('stg_policies__policies') }} as policies
    on policies.policy_id = waivers.policy_id
left join waived
    on waived.waiver_id = waivers.waiver_id
