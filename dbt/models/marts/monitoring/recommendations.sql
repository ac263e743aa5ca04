-- Savings recommendations, one per (kind, resource): the resource and its owners, the evidence, the estimated
-- monthly saving (the resource's billed cost over the last 30 days of billing where it has lines, else the
-- price table), and whether it is open or dismissed (settings recommendations.dismissals, until expiry).
with

candidates as (
    select * from {{ ref('int_recommendation_candidates') }}
),

billed as (
    select
        candidates.kind,
        candidates.resource_key,
        sum(costs.monthly_cost) as billed_saving,
        count(costs.resource_key) > 0 as has_billing
    from candidates
    cross join lateral unnest(candidates.billed_resource_keys) as billed_key (resource_key)
    left join {{ ref('int_resource_monthly_costs') }} as costs on costs.resource_key = billed_key.resource_key
    group by candidates.kind, candidates.resource_key
),

dismissals as (
    select
        dismissal ->> 'kind' as kind,
        dismissal ->> 'resource_id' as resource_id,
        dismissal ->> 'reason' as reason,
        (dismissal ->> 'expires_on')::date as expires_on
    from jsonb_array_elements({{ recommendation_config_json() }} -> 'dismissals') as dismissal
)

select
    md5(candidates.kind || '|' || candidates.resource_key)::uuid as recommendation_id,
    candidates.kind,
    resources.resource_key,
    resources.account_id,
    resources.region,
    resources.resource_type,
    resources.resource_id,
    resources.name,
    resources.team,
    resources.project,
    resources.env,
    candidates.evidence,
    candidates.action,
    coalesce(case when billed.has_billing then billed.billed_saving end, candidates.price_table_saving, 0)::numeric(14, 2)
        as monthly_saving,
    case when billed.has_billing then 'billing' else 'price_table' end as saving_source,
    'USD' as currency,
    case when dismissals.kind is not null then 'dismissed' else 'open' end as status,
    dismissals.reason as dismissed_reason,
    dismissals.expires_on as dismissed_until
from candidates
inner join {{ ref('resources') }} as resources on resources.resource_key = candidates.resource_key
left join billed on billed.kind = candidates.kind and billed.resource_key = candidates.resource_key
left join dismissals
    on dismissals.kind = candidates.kind
    and dismissals.resource_id = resources.resource_id
    and dismissals.expires_on >= {{ today() }}
