select
    alert_id,
    dedup_key,
    action,
    source,
    severity,
    title,
    summary,
    details,
    link,
    created_at
from {{ source('alerts', 'outbox') }}
