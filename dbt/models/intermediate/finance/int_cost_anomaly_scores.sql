{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook=["{{ cost_transaction_settings() }}", "{{ cost_prepare_inputs(cost_anomaly_scored_days()) }}"],
    )
}}
-- Daily usage cost per team and service, scored against its own trailing window (var costs.anomalies.window_days):
-- baseline is the median of the same weekday in the window, spread the robust standard deviation
-- (1.4826 x the median absolute deviation of the window's days from their weekdays' medians). So a weekly
-- pattern is the baseline, not an anomaly. Days without a full window of history are not scored.
-- Incremental by the digest of each row's inputs (macro cost_prepare_inputs): a new day scores that day and
-- rescores the days whose window reaches a changed day, not all history.
{%- set window_days = cost_config_number('anomalies', 'window_days') ~ '::int' %}

with scored as materialized (
    select
        dense_rank() over (order by provider, billing_currency, team, service_name) as series_id,
        rows_to_compute.*
    from {{ cost_rows_to_compute(cost_anomaly_scored_days()) }} as rows_to_compute
),

series as (
    select distinct series_id, provider, billing_currency, team, service_name from scored
),

bounds as (
    select min(charge_day) - {{ window_days }} as first_day, max(charge_day) as last_day from scored
),

usage as (
    select
        charge_day, provider, billing_currency, coalesce(allocated_team, 'shared') as team, service_name,
        sum(effective_cost) as cost
    from {{ ref('cost_attribution') }}
    where charge_category = 'Usage'
        and charge_day >= (select bounds.first_day from bounds)
    group by charge_day, provider, billing_currency, coalesce(allocated_team, 'shared'), service_name
),

-- Every series to score on every day its scored days and their windows span, zero where it had no usage.
days as (
    select series.series_id, day::date as charge_day, coalesce(usage.cost, 0) as cost
    from series
    cross join bounds
    cross join generate_series(bounds.first_day, bounds.last_day, interval '1 day') as day
    left join usage
        on usage.provider = series.provider
        and usage.billing_currency = series.billing_currency
        and usage.team = series.team
        and usage.service_name = series.service_name
        and usage.charge_day = day::date
),

-- Each scored day with the days of its window, 1 to window_days back (an equi-join on the day, not a range).
windows as (
    select
        scored.series_id,
        scored.charge_day,
        extract(isodow from past.charge_day) as window_weekday,
        past.cost as window_cost
    from scored
    cross join generate_series(1, {{ window_days }}) as lag (days_back)
    inner join days as past
        on past.series_id = scored.series_id
        and past.charge_day = scored.charge_day - lag.days_back
),

weekday_medians as (
    select series_id, charge_day, window_weekday, {{ cost_median('window_cost') }} as weekday_median
    from windows
    group by series_id, charge_day, window_weekday
),

spreads as (
    select
        windows.series_id,
        windows.charge_day,
        1.4826 * {{ cost_median('abs(windows.window_cost - medians.weekday_median)') }} as spread
    from windows
    inner join weekday_medians as medians
        on medians.series_id = windows.series_id
        and medians.charge_day = windows.charge_day
        and medians.window_weekday = windows.window_weekday
    group by windows.series_id, windows.charge_day
)

select
    scored.charge_day,
    scored.provider,
    scored.billing_currency,
    scored.team,
    scored.service_name,
    days.cost,
    medians.weekday_median as baseline_cost,
    spreads.spread,
    days.cost - medians.weekday_median as impact,
    scored.inputs_digest
from scored
inner join days
    on days.series_id = scored.series_id
    and days.charge_day = scored.charge_day
inner join spreads
    on spreads.series_id = scored.series_id
    and spreads.charge_day = scored.charge_day
inner join weekday_medians as medians
    on medians.series_id = scored.series_id
    and medians.charge_day = scored.charge_day
    and medians.window_weekday = extract(isodow from scored.charge_day)
