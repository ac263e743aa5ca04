-- Each resource's metrics over the recommendation window: the lookback_days UTC days before today. The p95 is
-- of the hourly averages; per_day_sum is the window's total over its days; covers_window says the data starts
-- on the window's first day, so an idle verdict rests on the whole window.
with window_bounds as (
    select
        ({{ today() }} - {{ recommendation_setting('lookback_days') }}::integer)::timestamp at time zone 'utc' as start_at,
        ({{ today() }})::timestamp at time zone 'utc' as end_at,
        {{ recommendation_setting('lookback_days') }} as days
)

select
    rollups.resource_key,
    rollups.metric_name,
    count(*) as hour_count,
    percentile_cont(0.95) within group (order by rollups.avg_value) as p95_hourly_avg,
    max(rollups.max_value) as max_value,
    sum(rollups.sum_value) / any_value(window_bounds.days) as per_day_sum,
    min(rollups.bucket_start_at) < any_value(window_bounds.start_at) + interval '1 day' as covers_window
from {{ ref('stg_metrics__rollups') }} as rollups
cross join window_bounds
where rollups.period = 'hour'
    and rollups.bucket_start_at >= window_bounds.start_at
    and rollups.bucket_start_at < window_bounds.end_at
group by rollups.resource_key, rollups.metric_name
