-- Load attempts of billing slices, with the slice named the way the ingestion reports it
-- ('<provider>/<billing account>/<YYYY-MM>'), or by its file when the file could not be read into a slice.
select
    load_id,
    coalesce(
        provider || '/' || billing_account_id || '/' || to_char(billing_period, 'YYYY-MM'), source_uri
    ) as slice_key,
    provider,
    billing_account_id,
    billing_period,
    source_uri,
    status as load_status,
    row_count,
    message,
    warnings,
    jsonb_array_length(warnings) as warning_count,
    logged_at
from {{ source('billing', 'load_log') }}
