-- Allocated cost per team and project, provider, currency and day: direct and shared parts (cost_allocation_parts
-- has the shared part per pool). Unallocated cost is the team 'unallocated'.
select
    charge_day,
    provider,
    billing_currency,
    team,
    project,
    coalesce(sum(billed_cost) filter (where cost_pool = 'direct'), 0)::numeric(18, 2) as direct_billed_cost,
    coalesce(sum(billed_cost) filter (where cost_pool <> 'direct'), 0)::numeric(18, 2) as shared_billed_cost,
    sum(billed_cost)::numeric(18, 2) as billed_cost,
    coalesce(sum(effective_cost) filter (where cost_pool = 'direct'), 0)::numeric(18, 2) as direct_effective_cost,
    coalesce(sum(effective_cost) filter (where cost_pool <> 'direct'), 0)::numeric(18, 2) as shared_effective_cost,
    sum(effective_cost)::numeric(18, 2) as effective_cost
from {{ ref('cost_allocation_parts') }}
group by charge_day, provider, billing_currency, team, project
