{{ config(pre_hook="{{ cost_work_mem() }}") }}
-- The end-of-month forecast of every month of billing data per currency, provider, account, allocated team and
-- project, env and cost measure: the Costs page's grouping, so the page adds up the rows its filters select
-- (amounts to 16 decimals, not to cents; the page rounds the sum). The same forecast as budget_status (macro
-- cost_month_forecast; the budget_forecast doc).

-- cost_attribution summed per day and group first (one pass, few rows), then split into the two measures.
with attribution as (
    select
        billing_currency, provider, sub_account_id, allocated_team, allocated_project, env, charge_day,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('cost_attribution') }}
    group by billing_currency, provider, sub_account_id, allocated_team, allocated_project, env, charge_day
),

daily as materialized (
    select
        {{ cost_key(['attribution.billing_currency', 'attribution.provider', 'attribution.sub_account_id',
                     'attribution.allocated_team', 'attribution.allocated_project', 'attribution.env',
                     'measures.cost_measure']) }} as cost_group_id,
        attribution.billing_currency,
        attribution.provider,
        attribution.sub_account_id,
        attribution.allocated_team,
        attribution.allocated_project,
        attribution.env,
        measures.cost_measure,
        attribution.charge_day,
        measures.cost
    from attribution
    cross join lateral (
        values ('billed_cost', attribution.billed_cost), ('effective_cost', attribution.effective_cost)
    ) as measures (cost_measure, cost)
),

cost_groups as (
    select distinct
        cost_group_id, billing_currency, provider, sub_account_id, allocated_team, allocated_project, env,
        cost_measure
    from daily
),

forecast as (
    {{ cost_month_forecast('cost_groups', 'cost_group_id', 'daily') | indent(4) }}
)

select
    {{ cost_key(['cost_group_id', 'month_start']) }}::uuid as cost_forecast_id,
    month_start as forecast_month,
    month_start = date_trunc('month', as_of_day)::date as is_current_month,
    billing_currency,
    provider,
    sub_account_id,
    allocated_team,
    allocated_project,
    env,
    cost_measure,
    through_day,
    remaining_weekdays::int as remaining_weekdays,
    remaining_weekend_days::int as remaining_weekend_days,
    actual_cost::numeric(38, 16) as actual_cost,
    weekday_average::numeric(38, 16) as weekday_daily_average,
    weekend_average::numeric(38, 16) as weekend_daily_average,
    forecast_cost::numeric(38, 16) as forecast_cost
from forecast
