{{ config(materialized='view') }}
-- The alert conditions holding now: those whose latest state change in the outbox is a trigger. A view, so it
-- follows the outbox between builds.
with latest as (
    select distinct on (dedup_key) *
    from {{ ref('stg_alerts__outbox') }}
    order by dedup_key, alert_id desc
)

select
    dedup_key,
    source,
    severity,
    title,
    summary,
    details,
    link,
    created_at as triggered_at
from latest
where action = 'trigger'
