{#- Daily history of the findings, rebuilt from their snapshot (one version per status change): at the end of
    each UTC day since the first finding, how many were open and waived per account and severity, and how
    many were first seen and resolved that day. Every (account, severity) that ever had a finding has a row
    for every day, zeros included, so charts draw continuous lines. -#}
with versions as (
    select
        finding_id,
        account_id,
        severity,
        status,
        (first_seen_at at time zone 'utc')::date as first_seen_on,
        dbt_valid_from,
        dbt_valid_to
    from {{ ref('policy_findings_snapshot') }}
),

days as (
    select day::date as trend_date
    from generate_series(
        (select min(first_seen_on) from versions)::timestamp,
        {{ today() }}::timestamp,
        interval '1 day'
    ) as day
),

series as (
    select distinct account_id, severity
    from versions
),

standing as (
    select
        days.trend_date,
        versions.account_id,
        versions.severity,
        count(*) filter (where versions.status = 'open') as open_findings,
        count(*) filter (where versions.status = 'waived') as waived_findings
    from days
    inner join versions
        on versions.dbt_valid_from < ((days.trend_date + 1)::timestamp at time zone 'utc')
        and (versions.dbt_valid_to is null
             or versions.dbt_valid_to >= ((days.trend_date + 1)::timestamp at time zone 'utc'))
    group by 1, 2, 3
),

first_seen as (
    select first_seen_on as trend_date, account_id, severity, count(distinct finding_id) as new_findings
    from versions
    group by 1, 2, 3
),

resolved as (
    select
        (dbt_valid_from at time zone 'utc')::date as trend_date,
        account_id,
        severity,
        count(*) as resolved_findings
    from versions
    where status = 'resolved'
    group by 1, 2, 3
)

select
    days.trend_date,
    series.account_id,
    series.severity,
    coalesce(standing.open_findings, 0) as open_findings,
    coalesce(standing.waived_findings, 0) as waived_findings,
    coalesce(first_seen.new_findings, 0) as new_findings,
    coalesce(resolved.resolved_findings, 0) as resolved_findings
from days
cross join series
left join standing
    on standing.trend_date = days.trend_date
    and standing.account_id = series.account_id
    and standing.severity = series.severity
left join first_seen
    on first_seen.trend_date = days.trend_date
    and first_seen.account_id = series.account_id
    and first_seen.severity = series.severity
left join resolved
    on resolved.trend_date = days.trend_date
    and resolved.account_id = series.account_id
    and resolved.severity = series.severity
