{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook=["{{ cost_transaction_settings() }}", "{{ cost_prepare_inputs(cost_attribution_day_inputs()) }}"],
    )
}}
-- Each team and project's cost per provider, currency and day, in parts: its direct cost (cost_pool 'direct') and
-- its share of every shared pool, in cents. The parts of a provider, currency and day add up exactly to its cost
-- in the billing data rounded to cents; pools nobody can take, like unassigned cost, stay as 'unallocated'.
-- Incremental by day (macro cost_prepare_inputs): a day's parts depend on that day's cost_attribution alone, so
-- each row carries the day's version as inputs_digest, and a build computes the days whose version it lacks.

with days_to_compute as materialized (
    select * from {{ cost_rows_to_compute(cost_attribution_day_inputs()) }} as days_to_compute
),

-- cost_attribution summed once per day, provider, currency, pool and allocated team and project: what every step
-- below needs, a small fraction of its rows.
attributed as materialized (
    select
        charge_day, provider, billing_currency, cost_pool, allocated_team, allocated_project,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('cost_attribution') }}
    {%- if cost_is_incremental() %}
    where charge_day in (select days_to_compute.charge_day from days_to_compute)
    {%- endif %}
    group by charge_day, provider, billing_currency, cost_pool, allocated_team, allocated_project
),

direct as (
    select
        charge_day, provider, billing_currency, allocated_team as team, allocated_project as project,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from attributed
    where cost_pool = 'direct'
    group by charge_day, provider, billing_currency, allocated_team, allocated_project
),

pooled as (
    select
        charge_day, provider, billing_currency, cost_pool,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from attributed
    where cost_pool <> 'direct'
    group by charge_day, provider, billing_currency, cost_pool
),

-- Who takes a pool, with what weight: 'even' and 'proportional' pools go to the team-projects with direct
-- effective cost on the same provider, currency and day (weight 1, or that cost); 'fixed' ones to their shares.
recipients as (
    select
        pooled.charge_day, pooled.provider, pooled.billing_currency, pooled.cost_pool, direct.team, direct.project,
        case pools.split_method when 'even' then 1 else direct.effective_cost end as weight
    from pooled
    inner join {{ ref('int_cost_shared_pools') }} as pools
        on pools.pool_name = pooled.cost_pool
        and pools.split_method in ('even', 'proportional')
    inner join direct
        on direct.charge_day = pooled.charge_day
        and direct.provider = pooled.provider
        and direct.billing_currency = pooled.billing_currency
        and direct.team <> 'unallocated'
        and direct.effective_cost > 0
    union all
    select
        pooled.charge_day, pooled.provider, pooled.billing_currency, pooled.cost_pool, shares.team, shares.project,
        shares.share_percent
    from pooled
    inner join {{ ref('int_cost_pool_shares') }} as shares
        on shares.pool_name = pooled.cost_pool
),

shared as (
    select
        pooled.charge_day, pooled.provider, pooled.billing_currency, recipients.team, recipients.project,
        pooled.cost_pool,
        pooled.billed_cost * recipients.weight / sum(recipients.weight) over pool_day as billed_cost,
        pooled.effective_cost * recipients.weight / sum(recipients.weight) over pool_day as effective_cost
    from pooled
    inner join recipients
        on recipients.charge_day = pooled.charge_day
        and recipients.provider = pooled.provider
        and recipients.billing_currency = pooled.billing_currency
        and recipients.cost_pool = pooled.cost_pool
    window pool_day as (partition by pooled.charge_day, pooled.provider, pooled.billing_currency, pooled.cost_pool)
    union all
    select
        charge_day, provider, billing_currency, 'unallocated', 'unallocated', cost_pool, billed_cost, effective_cost
    from pooled
    where not exists (
        select 1
        from recipients
        where recipients.charge_day = pooled.charge_day
            and recipients.provider = pooled.provider
            and recipients.billing_currency = pooled.billing_currency
            and recipients.cost_pool = pooled.cost_pool
    )
),

parts as (
    select charge_day, provider, billing_currency, team, project, 'direct' as cost_pool, billed_cost, effective_cost
    from direct
    union all
    select charge_day, provider, billing_currency, team, project, cost_pool, billed_cost, effective_cost
    from shared
),

-- What the parts must add up to: the billing data's cost per provider, currency and day, rounded to cents.
totals as (
    select
        charge_day, provider, billing_currency,
        round(sum(billed_cost), 2) as billed_cost,
        round(sum(effective_cost), 2) as effective_cost
    from attributed
    group by charge_day, provider, billing_currency
)

select
    parts.charge_day,
    parts.provider,
    parts.billing_currency,
    parts.team,
    parts.project,
    parts.cost_pool,
    {{ cost_round_to_cents(
        'parts.billed_cost', 'totals.billed_cost',
        'parts.charge_day, parts.provider, parts.billing_currency',
        'parts.team collate "C", parts.project collate "C", parts.cost_pool collate "C"') }}
        as billed_cost,
    {{ cost_round_to_cents(
        'parts.effective_cost', 'totals.effective_cost',
        'parts.charge_day, parts.provider, parts.billing_currency',
        'parts.team collate "C", parts.project collate "C", parts.cost_pool collate "C"') }}
        as effective_cost,
    days_to_compute.inputs_digest
from parts
inner join totals
    on totals.charge_day = parts.charge_day
    and totals.provider = parts.provider
    and totals.billing_currency = parts.billing_currency
left join days_to_compute  -- a left join: a unit test's fixture has no billing slices to version its days by
    on days_to_compute.charge_day = parts.charge_day
