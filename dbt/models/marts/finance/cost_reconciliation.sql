-- Billing data against allocation per provider, currency and day, to the cent. Allocation must never lose or
-- invent a cent: every difference is zero (the test assert_cost_allocation_reconciles holds it).

with billed as (
    select
        charge_day, provider, billing_currency,
        round(sum(billed_cost), 2) as billed_cost,
        round(sum(effective_cost), 2) as effective_cost
    from {{ ref('stg_billing__focus_charges') }}
    group by charge_day, provider, billing_currency
),

allocated as (
    select
        charge_day, provider, billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('cost_allocation') }}
    group by charge_day, provider, billing_currency
)

select
    coalesce(billed.charge_day, allocated.charge_day) as charge_day,
    coalesce(billed.provider, allocated.provider) as provider,
    coalesce(billed.billing_currency, allocated.billing_currency) as billing_currency,
    coalesce(billed.billed_cost, 0)::numeric(18, 2) as billed_cost,
    coalesce(allocated.billed_cost, 0)::numeric(18, 2) as allocated_billed_cost,
    (coalesce(allocated.billed_cost, 0) - coalesce(billed.billed_cost, 0))::numeric(18, 2) as billed_difference,
    coalesce(billed.effective_cost, 0)::numeric(18, 2) as effective_cost,
    coalesce(allocated.effective_cost, 0)::numeric(18, 2) as allocated_effective_cost,
    (coalesce(allocated.effective_cost, 0) - coalesce(billed.effective_cost, 0))::numeric(18, 2)
        as effective_difference
from billed
full outer join allocated
    on allocated.charge_day = billed.charge_day
    and allocated.provider = billed.provider
    and allocated.billing_currency = billed.billing_currency
