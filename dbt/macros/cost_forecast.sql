{#- The end-of-month forecast (the budget_forecast doc), written once for budget_status and cost_forecast.

    For every row of keys_relation (all its columns; key names it) and every month of billing data: the cost from the first
    of the month to through_day (the latest day with billing data, or the month's last day), the average cost of a
    weekday and of a weekend day over the trailing costs.forecast_window_days days ending on through_day (days
    without cost count as zero; a window without a day of a kind takes the average of all its days) and the
    forecast: the cost so far plus each remaining day of the month at the average of its kind. daily_relation holds
    key, charge_day and cost, and needs no row for a day without cost. Amounts are not rounded, so forecasts of
    several keys add up to the forecast of their summed cost. A select, for a CTE. -#}
{% macro cost_month_forecast(keys_relation, key, daily_relation) -%}
    with bounds as (
        select min(charge_day) as first_day, max(charge_day) as as_of_day
        from {{ ref('cost_attribution') }}
    ),

    months as (
        select
            month_start,
            month_end,
            least(month_end, bounds.as_of_day) as through_day,
            greatest(
                least(month_end, bounds.as_of_day) - {{ cost_config_number('forecast_window_days') }}::int + 1,
                bounds.first_day
            ) as window_first_day,
            bounds.as_of_day
        from bounds
        cross join lateral (
            select month_start::date, (month_start + interval '1 month' - interval '1 day')::date as month_end
            from generate_series(
                date_trunc('month', bounds.first_day::timestamp), bounds.as_of_day::timestamp, interval '1 month'
            ) as month_start
        ) as calendar_months
    ),

    -- How many days of each kind the window holds and the rest of the month has.
    month_days as (
        select
            months.*,
            window_days.weekdays as window_weekdays,
            window_days.weekend_days as window_weekend_days,
            remaining.weekdays as remaining_weekdays,
            remaining.weekend_days as remaining_weekend_days
        from months
        cross join lateral (
            select
                count(*) filter (where extract(isodow from day) < 6) as weekdays,
                count(*) filter (where extract(isodow from day) >= 6) as weekend_days
            from generate_series(months.window_first_day, months.through_day, interval '1 day') as day
        ) as window_days
        cross join lateral (
            select
                count(*) filter (where extract(isodow from day) < 6) as weekdays,
                count(*) filter (where extract(isodow from day) >= 6) as weekend_days
            from generate_series(months.through_day + 1, months.month_end, interval '1 day') as day
        ) as remaining
    ),

    window_costs as (
        select
            daily.{{ key }},
            month_days.month_start,
            sum(daily.cost) filter (where daily.charge_day >= month_days.month_start) as actual_cost,
            sum(daily.cost) filter (
                where daily.charge_day >= month_days.window_first_day and extract(isodow from daily.charge_day) < 6
            ) as window_weekday_cost,
            sum(daily.cost) filter (
                where daily.charge_day >= month_days.window_first_day and extract(isodow from daily.charge_day) >= 6
            ) as window_weekend_cost
        from {{ daily_relation }} as daily
        inner join month_days
            on daily.charge_day between least(month_days.month_start, month_days.window_first_day)
                and month_days.through_day
        group by daily.{{ key }}, month_days.month_start
    ),

    measured as (
        select
            keys.*,
            month_days.*,
            coalesce(window_costs.actual_cost, 0) as actual_cost,
            coalesce(window_costs.window_weekday_cost, 0) as window_weekday_cost,
            coalesce(window_costs.window_weekend_cost, 0) as window_weekend_cost
        from {{ keys_relation }} as keys
        cross join month_days
        left join window_costs
            on window_costs.{{ key }} = keys.{{ key }}
            and window_costs.month_start = month_days.month_start
    ),

    averaged as (
        select
            measured.*,
            case
                when window_weekdays > 0 then window_weekday_cost / window_weekdays
                else (window_weekday_cost + window_weekend_cost) / (window_weekdays + window_weekend_days)
            end as weekday_average,
            case
                when window_weekend_days > 0 then window_weekend_cost / window_weekend_days
                else (window_weekday_cost + window_weekend_cost) / (window_weekdays + window_weekend_days)
            end as weekend_average
        from measured
    )

    select
        averaged.*,
        actual_cost + remaining_weekdays * weekday_average + remaining_weekend_days * weekend_average
            as forecast_cost
    from averaged
{%- endmacro %}
