-- Per account and team: resources per drift category (ignored ones apart), coverage = (managed + changed) /
-- (managed + changed + missing + unmanaged), and what unmanaged and changed resources cost a month.
select
    account_id,
    coalesce(team, 'unassigned') as team,
    count(*) filter (where drift_category = 'managed' and not is_ignored) as managed,
    count(*) filter (where drift_category = 'changed' and not is_ignored) as changed,
    count(*) filter (where drift_category = 'missing' and not is_ignored) as missing,
    count(*) filter (where drift_category = 'unmanaged' and not is_ignored) as unmanaged,
    count(*) filter (where is_ignored) as ignored,
    round(
        (count(*) filter (where drift_category in ('managed', 'changed') and not is_ignored))::numeric
        / nullif(count(*) filter (where not is_ignored), 0),
        4
    ) as coverage,
    coalesce(sum(monthly_cost) filter (where drift_category = 'unmanaged' and not is_ignored), 0)
        as unmanaged_monthly_cost,
    coalesce(sum(monthly_cost) filter (where drift_category = 'changed' and not is_ignored), 0)
        as changed_monthly_cost
from {{ ref('drift_resources') }}
group by account_id, coalesce(team, 'unassigned')
