-- What each inventory resource cost over the last 30 days of AWS billing data (USD usage lines), ending with the
-- latest billed day: the saving when the resource goes.
with last_billed as (
    select max(charge_day) as charge_day
    from {{ ref('cost_daily') }}
    where provider = 'aws'
)

select
    cost_daily.resource_key,
    sum(cost_daily.effective_cost) as monthly_cost
from {{ ref('cost_daily') }} as cost_daily
cross join last_billed
where cost_daily.resource_key is not null
    and cost_daily.provider = 'aws'
    and cost_daily.billing_currency = 'USD'
    and cost_daily.charge_category = 'Usage'
    and cost_daily.charge_day > last_billed.charge_day - 30
group by cost_daily.resource_key
