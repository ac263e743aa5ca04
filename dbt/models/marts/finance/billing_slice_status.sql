-- Each billing slice's latest load attempt beside its last good load: what the cost marts are built from, and
-- which slices the validation gate refused (their previous rows stay in use).

with loads as (
    select * from {{ ref('stg_billing__slice_loads') }}
),

latest as (
    select distinct on (slice_key) *
    from loads
    order by slice_key, logged_at desc, load_id
),

last_loaded as (
    select distinct on (slice_key) slice_key, row_count, logged_at
    from loads
    where load_status = 'loaded'
    order by slice_key, logged_at desc, load_id
)

select
    latest.slice_key,
    latest.provider,
    latest.billing_account_id,
    latest.billing_period,
    latest.load_status as latest_status,
    latest.logged_at as latest_attempt_at,
    latest.source_uri as latest_source_uri,
    latest.message as latest_problem,
    latest.warning_count as latest_warning_count,
    latest.warnings as latest_warnings,
    last_loaded.row_count as loaded_rows,
    last_loaded.logged_at as loaded_at,
    latest.load_status <> 'loaded' and last_loaded.slice_key is not null as serves_earlier_load
from latest
left join last_loaded on last_loaded.slice_key = latest.slice_key
