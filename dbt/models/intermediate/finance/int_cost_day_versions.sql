{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=[
            "{{ cost_prepare_incremental(cost_versions(ref('stg_billing__focus_charges'), 'slice'), 'slice') }}",
        ],
        indexes=[
            {'columns': ['provider', 'billing_account_id', 'billing_period', 'load_id']},
            {'columns': ['provider', 'billing_account_id', 'billing_period', 'charge_day', 'lines_digest']},
        ],
    )
}}
-- Each day of each billing slice as its current load delivers it, with a digest of its lines: of what cost_daily
-- reads of them (every column but the load's own), summed over the lines so that their order does not matter. A
-- load restating a slice but leaving a day as it was gives that day the same digest, so cost_daily builds only the
-- days whose digest it does not hold. Incremental by billing slice: each build digests the slices loaded since
-- the last one, into a few rows per day however many lines.

select
    provider,
    billing_account_id,
    billing_period,
    charge_day,
    any_value(load_id) as load_id,  -- one per slice: a load replaces its slice whole
    count(*) as line_count,
    md5(count(*) || ':' || sum(hash_record_extended(
        row(
            billing_account_name, sub_account_id, sub_account_name, service_category, service_name, region_id,
            resource_id, resource_name, charge_category, billing_currency, tags, billed_cost, effective_cost,
            list_cost
        ),
        0
    )))::uuid as lines_digest
from {{ cost_rows_to_build(
    ref('stg_billing__focus_charges'), cost_versions(ref('stg_billing__focus_charges'), 'slice'), 'slice'
) }} as lines
group by provider, billing_account_id, billing_period, charge_day
