{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['coverage_day'],
    )
}}
-- The coverage trend: drift_coverage as of each day a build ran (the build's today), the day's last build winning.
select
    {{ today() }} as coverage_day,
    account_id,
    team,
    managed,
    changed,
    missing,
    unmanaged,
    ignored,
    coverage,
    unmanaged_monthly_cost,
    changed_monthly_cost
from {{ ref('drift_coverage') }}
