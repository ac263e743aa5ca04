{#- Every month of billing data (cost_attribution) with its bounds for the forecast: month_start, month_end,
    through_day, window_first_day, as_of_day, and how many days of each kind the window holds (window_weekdays,
    window_weekend_days) and the rest of the month has (remaining_weekdays, remaining_weekend_days). A select. -#}
{% macro cost_forecast_months() -%}
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
    )

    -- How many days of each kind the window holds and the rest of the month has.
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
{%- endmacro %}

{#- What cost_forecast groups cost by, in its key's order (cost_key of these and the cost measure). -#}
{% macro cost_forecast_grouping() -%}
    {{ return(['billing_currency', 'provider', 'sub_account_id', 'allocated_team', 'allocated_project', 'env']) }}
{%- endmacro %}

{#- The rows cost_forecast holds: every cost group (cost_forecast_grouping and cost measure) of cost_attribution in
    every month of billing data, with cost_group_id, cost_forecast_id and inputs_digest (macro cost_prepare_inputs):
    the digest of the row's key, of its month's bounds and of the versions of the days its figures are computed from
    (the month to through_day and the window before it). A relation. -#}
{% macro cost_forecast_rows() -%}
    {%- set grouping = cost_forecast_grouping() -%}
    (
        with months as (
            {{ cost_forecast_months() | indent(12) }}
        ),

        day_versions as materialized (
            select * from {{ cost_attribution_day_versions() }} as day_versions
        ),

        month_versions as (
            select
                months.month_start,
                md5(concat_ws('|',
                    months.month_start = date_trunc('month', months.as_of_day)::date,
                    months.window_first_day,
                    {{ cost_days_digest('day_versions', 'least(months.month_start, months.window_first_day)',
                                        'months.through_day') }}
                )) as month_version
            from months
            left join day_versions
                on day_versions.charge_day between least(months.month_start, months.window_first_day)
                    and months.through_day
            group by months.month_start, months.as_of_day, months.window_first_day, months.through_day
        ),

        cost_groups as (
            select
                {{ cost_key(grouping + ['measures.cost_measure']) }} as cost_group_id,
                groups.*,
                measures.cost_measure
            from (select distinct {{ grouping | join(', ') }} from {{ ref('cost_attribution') }}) as groups
            cross join (values ('billed_cost'), ('effective_cost')) as measures (cost_measure)
        )

        select
            cost_groups.*,
            month_versions.month_start,
            {{ cost_key(['cost_groups.cost_group_id', 'month_versions.month_start']) }}::uuid as cost_forecast_id,
            md5(cost_groups.cost_group_id || month_versions.month_start || month_versions.month_version)::uuid
                as inputs_digest
        from cost_groups
        cross join month_versions
    )
{%- endmacro %}

{#- The end-of-month forecast (the budget_forecast doc), written once for budget_status and cost_forecast.

    For every row of keys_relation (all its columns; key names it) and every month of billing data: the cost from the first
    of the month to through_day (the latest day with billing data, or the month's last day), the average cost of a
    weekday and of a weekend day over the trailing costs.forecast_window_days days ending on through_day (days
    without cost count as zero; a window without a day of a kind takes the average of all its days) and the
    forecast: the cost so far plus each remaining day of the month at the average of its kind. daily_relation holds
    key, charge_day and cost, and needs no row for a day without cost. Amounts are not rounded, so forecasts of
    several keys add up to the forecast of their summed cost. month_days_relation, when given, holds the months to
    forecast (rows of cost_forecast_months), not every month. A select, for a CTE. -#}
{% macro cost_month_forecast(keys_relation, key, daily_relation, month_days_relation=none) -%}
    with month_days as (
        {%- if month_days_relation %}
        select * from {{ month_days_relation }}
        {%- else %}
        {{ cost_forecast_months() | indent(8) }}
        {%- endif %}
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
