{{ config(materialized='table', pre_hook="{{ cost_work_mem() }}") }}
-- Daily usage cost per team and service, scored against its own trailing window (var costs.anomalies.window_days):
-- baseline is the median of the same weekday in the window, spread the robust standard deviation
-- (1.4826 x the median absolute deviation of the window's days from their weekdays' medians). So a weekly
-- pattern is the baseline, not an anomaly. Days without a full window of history are not scored.
-- A table, not a view: cost_anomalies and this model's test read it, and the scoring is the costly part.

with usage as (
    select
        charge_day, provider, billing_currency, coalesce(allocated_team, 'shared') as team, service_name,
        sum(effective_cost) as cost
    from {{ ref('cost_attribution') }}
    where charge_category = 'Usage'
    group by charge_day, provider, billing_currency, coalesce(allocated_team, 'shared'), service_name
),

series as (
    select
        row_number() over (order by provider, billing_currency, team, service_name) as series_id,
        provider, billing_currency, team, service_name, min(charge_day) as first_day
    from usage
    group by provider, billing_currency, team, service_name
),

-- Every series on every day from its first to the latest day of billing data, zero where it had no usage.
days as (
    select series.series_id, series.first_day, day::date as charge_day, coalesce(usage.cost, 0) as cost
    from series
    cross join (select max(charge_day) as as_of_day from {{ ref('cost_attribution') }}) as bounds
    cross join generate_series(series.first_day, bounds.as_of_day, interval '1 day') as day
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
    from days as scored
    cross join generate_series(1, {{ cost_config_number('anomalies', 'window_days') }}::int) as lag (days_back)
    inner join days as past
        on past.series_id = scored.series_id
        and past.charge_day = scored.charge_day - lag.days_back
    where scored.charge_day - {{ cost_config_number('anomalies', 'window_days') }}::int >= scored.first_day
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
    days.charge_day,
    series.provider,
    series.billing_currency,
    series.team,
    series.service_name,
    days.cost,
    medians.weekday_median as baseline_cost,
    spreads.spread,
    days.cost - medians.weekday_median as impact
from days
inner join series
    on series.series_id = days.series_id
inner join spreads
    on spreads.series_id = days.series_id
    and spreads.charge_day = days.charge_day
inner join weekday_medians as medians
    on medians.series_id = days.series_id
    and medians.charge_day = days.charge_day
    and medians.window_weekday = extract(isodow from days.charge_day)
