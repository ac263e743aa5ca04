{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook=["{{ cost_transaction_settings() }}", "{{ cost_prepare_inputs(cost_forecast_rows()) }}"],
    )
}}
-- The end-of-month forecast of every month of billing data per currency, provider, account, allocated team and
-- project, env and cost measure: the Costs page's grouping, so the page adds up the rows its filters select
-- (amounts to 16 decimals, not to cents; the page rounds the sum). The same forecast as budget_status (macro
-- cost_month_forecast; the budget_forecast doc).
-- Incremental by the digest of each row's inputs (macro cost_prepare_inputs): a new day recomputes its month (and
-- the next month's, when that month's window reaches back into it), not every month of history.
{%- set grouping = cost_forecast_grouping() %}

with rows_to_compute as materialized (
    select * from {{ cost_rows_to_compute(cost_forecast_rows()) }} as rows_to_compute
),

months_to_compute as materialized (
    select * from ({{ cost_forecast_months() | indent(4) }}) as months
    where month_start in (select rows_to_compute.month_start from rows_to_compute)
),

-- cost_attribution summed per day and group first (one pass, few rows) over the days those months read, then split
-- into the two measures.
attribution as (
    select
        {{ grouping | join(', ') }}, charge_day,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('cost_attribution') }}
    where charge_day >= (
        select min(least(month_start, window_first_day)) from months_to_compute
    )
    group by {{ grouping | join(', ') }}, charge_day
),

daily as materialized (
    select
        {{ cost_key(grouping + ['measures.cost_measure']) }} as cost_group_id,
        attribution.charge_day,
        measures.cost
    from attribution
    cross join lateral (
        values ('billed_cost', attribution.billed_cost), ('effective_cost', attribution.effective_cost)
    ) as measures (cost_measure, cost)
),

cost_groups as (
    select distinct cost_group_id from rows_to_compute
),

forecast as (
    {{ cost_month_forecast('cost_groups', 'cost_group_id', 'daily', 'months_to_compute') | indent(4) }}
)

-- The rows to compute: forecast holds every cost group to compute in every month to compute, a few more than that.
select
    rows_to_compute.cost_forecast_id,
    forecast.month_start as forecast_month,
    forecast.month_start = date_trunc('month', forecast.as_of_day)::date as is_current_month,
    rows_to_compute.billing_currency,
    rows_to_compute.provider,
    rows_to_compute.sub_account_id,
    rows_to_compute.allocated_team,
    rows_to_compute.allocated_project,
    rows_to_compute.env,
    rows_to_compute.cost_measure,
    forecast.through_day,
    forecast.remaining_weekdays::int as remaining_weekdays,
    forecast.remaining_weekend_days::int as remaining_weekend_days,
    forecast.actual_cost::numeric(38, 16) as actual_cost,
    forecast.weekday_average::numeric(38, 16) as weekday_daily_average,
    forecast.weekend_average::numeric(38, 16) as weekend_daily_average,
    forecast.forecast_cost::numeric(38, 16) as forecast_cost,
    rows_to_compute.inputs_digest
from forecast
inner join rows_to_compute
    on rows_to_compute.cost_group_id = forecast.cost_group_id
    and rows_to_compute.month_start = forecast.month_start
