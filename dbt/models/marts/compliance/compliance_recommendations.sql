{#- Every CIS AWS Foundations recommendation (the generated seed cis_recommendations) with the policies that
    map to it in their METADATA and its coverage: checked by those policies, manual, the gap the list
    states (not-implemented, not-checkable), or not-run (its policies were not loaded by a policy run). The Compliance page joins compliance_posture for pass rates. -#}
with mapped as (
    select * from {{ ref('int_control_policies') }}
)

select
    recommendations.framework,
    recommendations.recommendation_id,
    recommendations.position,
    recommendations.section,
    recommendations.subsection,
    recommendations.title,
    recommendations.assessment,
    coalesce(mapped.policy_ids, array[]::text[]) as policy_ids,
    case
        when mapped.policy_ids is not null then 'checked'
        when recommendations.assessment = 'manual' then 'manual'
        -- the library checks it, but no policy run loaded a policy that does (disabled, or no run yet)
        else coalesce(recommendations.gap_kind, 'not-run')
    end as coverage,
    recommendations.gap_reason
from {{ ref('cis_recommendations') }} as recommendations
left join mapped
    on mapped.framework = recommendations.framework
    and mapped.control_id = recommendations.recommendation_id
