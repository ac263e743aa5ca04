select
    slice_key,
    status,
    check_count,
    message,
    attempted_at,
    last_success_at
from {{ source('health', 'check_slices') }}
