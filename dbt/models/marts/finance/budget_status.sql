-- Every budget (var costs.budgets) in every month of billing data: effective cost month to date, a weekday-aware
-- end-of-month forecast (macro cost_month_forecast, shared with cost_forecast), and the thresholds crossed,
-- actual and forecast (see the budget_forecast doc).

with budgets as (
    select * from {{ ref('int_cost_budgets') }}
),

-- Effective cost per budget and day: allocated cost (shared parts included) for teams and projects, the sub
-- account's own cost for accounts; only cost in the budget's currency counts.
scope_costs as (
    select budgets.budget_id, allocation.charge_day, sum(allocation.effective_cost) as cost
    from budgets
    inner join {{ ref('cost_allocation') }} as allocation
        on allocation.billing_currency = budgets.currency
        and (
            (budgets.budget_scope = 'team' and allocation.team = budgets.budget_name)
            or (budgets.budget_scope = 'project' and allocation.project = budgets.budget_name)
        )
    group by budgets.budget_id, allocation.charge_day
    union all
    select budgets.budget_id, attribution.charge_day, sum(attribution.effective_cost)
    from budgets
    inner join {{ ref('cost_attribution') }} as attribution
        on attribution.billing_currency = budgets.currency
        and budgets.budget_scope = 'account'
        and attribution.sub_account_id = budgets.budget_name
    group by budgets.budget_id, attribution.charge_day
),

forecast as (
    {{ cost_month_forecast('budgets', 'budget_id', 'scope_costs') | indent(4) }}
)

select
    budget_id,
    budget_scope,
    budget_name,
    currency,
    month_start as budget_month,
    month_start = date_trunc('month', as_of_day)::date as is_current_month,
    through_day,
    (month_end - month_start + 1)::int as days_in_month,
    (through_day - month_start + 1)::int as days_elapsed,
    remaining_weekdays::int as remaining_weekdays,
    remaining_weekend_days::int as remaining_weekend_days,
    monthly_amount::numeric(18, 2) as monthly_amount,
    thresholds,
    round(actual_cost, 2)::numeric(18, 2) as actual_cost,
    round(weekday_average, 2)::numeric(18, 2) as weekday_daily_average,
    round(weekend_average, 2)::numeric(18, 2) as weekend_daily_average,
    round(forecast_cost, 2)::numeric(18, 2) as forecast_cost,
    round(100 * actual_cost / monthly_amount, 2)::numeric(10, 2) as actual_percent,
    round(100 * forecast_cost / monthly_amount, 2)::numeric(10, 2) as forecast_percent,
    array(
        select threshold from unnest(thresholds) as threshold
        where round(actual_cost, 2) >= monthly_amount * threshold / 100
        order by threshold
    ) as actual_thresholds_crossed,
    array(
        select threshold from unnest(thresholds) as threshold
        where round(forecast_cost, 2) >= monthly_amount * threshold / 100
        order by threshold
    ) as forecast_thresholds_crossed
from forecast
