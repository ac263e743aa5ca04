{#- The rows int_cost_anomaly_scores holds: every day of every usage series (team x service per provider and
    currency, from cost_attribution's usage charges; shared pools as team 'shared') that has a full trailing window
    of history (costs.anomalies.window_days), from the day after its first window to the latest day of billing data,
    with first_day (the series' first day of usage) and inputs_digest (macro cost_prepare_inputs): the digest of the
    series, the day and the versions of the days of its window. A relation. -#}
{% macro cost_anomaly_scored_days() -%}
    {%- set window_days = cost_config_number('anomalies', 'window_days') ~ '::int' -%}
    (
        with series as (
            select
                provider, billing_currency, coalesce(allocated_team, 'shared') as team, service_name,
                min(charge_day) as first_day
            from {{ ref('cost_attribution') }}
            where charge_category = 'Usage'
            group by provider, billing_currency, coalesce(allocated_team, 'shared'), service_name
        ),

        day_versions as materialized (
            select * from {{ cost_attribution_day_versions() }} as day_versions
        ),

        -- Each day that may be scored with the digest of its window: the day and the window_days before it.
        window_versions as (
            select
                scored_day::date as charge_day,
                {{ cost_days_digest('day_versions', 'scored_day::date - ' ~ window_days, 'scored_day::date') }}
                    as window_version
            from generate_series(
                (select min(first_day) from series) + {{ window_days }},
                (select max(charge_day) from {{ ref('cost_attribution') }}),
                interval '1 day'
            ) as scored_day
            left join day_versions
                on day_versions.charge_day between scored_day::date - {{ window_days }} and scored_day::date
            group by scored_day
        )

        select
            series.*,
            window_versions.charge_day,
            md5(
                {{ cost_key(['series.provider', 'series.billing_currency', 'series.team', 'series.service_name']) }}
                || window_versions.window_version
            )::uuid as inputs_digest
        from series
        inner join window_versions
            on window_versions.charge_day - {{ window_days }} >= series.first_day
    )
{%- endmacro %}
