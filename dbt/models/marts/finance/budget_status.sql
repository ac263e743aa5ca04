-- Every budget (var costs.budgets) in every month of billing data: effective cost month to date, a weekday-aware
-- end-of-month forecast, and the thresholds crossed, actual and forecast (see the budget_forecast doc).

with budgets as (
    select * from {{ ref('int_cost_budgets') }}
),

bounds as (
    select min(charge_day) as first_day, max(charge_day) as as_of_day
    from {{ ref('cost_daily') }}
),

calendar as (
    select day::date as day, extract(isodow from day) >= 6 as is_weekend
    from bounds
    cross join generate_series(bounds.first_day, bounds.as_of_day, interval '1 day') as day
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

daily as (
    select budgets.budget_id, calendar.day, calendar.is_weekend, coalesce(scope_costs.cost, 0) as cost
    from budgets
    cross join calendar
    left join scope_costs
        on scope_costs.budget_id = budgets.budget_id
        and scope_costs.charge_day = calendar.day
),

budget_months as (
    select
        budgets.*,
        months.month_start as budget_month,
        (months.month_start + interval '1 month' - interval '1 day')::date as month_end,
        least((months.month_start + interval '1 month' - interval '1 day')::date, bounds.as_of_day) as through_day,
        bounds.as_of_day
    from budgets
    cross join bounds
    cross join (select distinct date_trunc('month', day)::date as month_start from calendar) as months
),

-- Month to date, and the average weekday and weekend-day cost over the trailing window ending on through_day.
measured as (
    select
        budget_months.budget_id,
        budget_months.budget_month,
        sum(daily.cost) filter (where daily.day >= budget_months.budget_month) as actual_cost,
        avg(daily.cost) filter (where daily.day > recent.window_start and not daily.is_weekend) as weekday_average,
        avg(daily.cost) filter (where daily.day > recent.window_start and daily.is_weekend) as weekend_average,
        avg(daily.cost) filter (where daily.day > recent.window_start) as day_average
    from budget_months
    cross join lateral (
        select budget_months.through_day - {{ cost_config_number('forecast_window_days') }}::int as window_start
    ) as recent
    inner join daily
        on daily.budget_id = budget_months.budget_id
        and daily.day <= budget_months.through_day
        and daily.day > least(budget_months.budget_month - 1, recent.window_start)
    group by budget_months.budget_id, budget_months.budget_month
),

forecast as (
    select
        budget_months.*,
        remaining.weekdays as remaining_weekdays,
        remaining.weekend_days as remaining_weekend_days,
        measured.actual_cost,
        coalesce(measured.weekday_average, measured.day_average) as weekday_average,
        coalesce(measured.weekend_average, measured.day_average) as weekend_average,
        measured.actual_cost
            + remaining.weekdays * coalesce(measured.weekday_average, measured.day_average)
            + remaining.weekend_days * coalesce(measured.weekend_average, measured.day_average) as forecast_cost
    from budget_months
    inner join measured
        on measured.budget_id = budget_months.budget_id
        and measured.budget_month = budget_months.budget_month
    cross join lateral (
        select
            count(*) filter (where extract(isodow from day) < 6) as weekdays,
            count(*) filter (where extract(isodow from day) >= 6) as weekend_days
        from generate_series(budget_months.through_day + 1, budget_months.month_end, interval '1 day') as day
    ) as remaining
)

select
    budget_id,
    budget_scope,
    budget_name,
    currency,
    budget_month,
    budget_month = date_trunc('month', as_of_day)::date as is_current_month,
    through_day,
    (month_end - budget_month + 1)::int as days_in_month,
    (through_day - budget_month + 1)::int as days_elapsed,
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
