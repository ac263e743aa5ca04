-- One row per resource in either world, classified: managed (declared and running, the same), changed (declared
-- and running, a compared attribute differs and no ignore rule covers it), missing (declared, not running),
-- unmanaged (running, not declared). Ignored resources keep their category and say why they are ignored; the
-- counts leave them out. monthly_cost: the last 30 days of billing data for the resource (marts.cost_daily).
with pairs as not materialized (  -- read twice: as a table, not copied into a CTE first
    select * from {{ ref('int_drift__resource_pairs') }}
),

differences as (
    select
        resource_key,
        count(*) filter (where not is_ignored) as differing_attributes,
        count(*) filter (where is_ignored) as ignored_attributes
    from {{ ref('int_drift__attribute_differences') }}
    group by resource_key
),

deciding_rule as (
    select distinct on (pairs.resource_key)
        pairs.resource_key,
        rules.is_negation,
        rules.reason
    from pairs
    inner join {{ ref('int_drift__ignore_rules') }} as rules
        on not rules.is_attribute_rule
        and (pairs.resource_type ~ rules.type_regex or pairs.terraform_type ~ rules.type_regex)
        and pairs.resource_id ~ rules.id_regex
    order by pairs.resource_key, rules.rule_position desc
),

costs as (
    select resource_key, sum(effective_cost) as monthly_cost
    from {{ ref('cost_daily') }}
    where resource_key is not null
        and charge_day > (select max(charge_day) from {{ ref('cost_daily') }}) - 30
    group by resource_key
)

select
    pairs.resource_key,
    case
        when not pairs.is_running then 'missing'
        when not pairs.is_declared then 'unmanaged'
        when coalesce(differences.differing_attributes, 0) > 0 then 'changed'
        else 'managed'
    end as drift_category,
    pairs.account_id,
    pairs.region,
    pairs.resource_type,
    pairs.terraform_type,
    pairs.resource_id,
    pairs.name,
    pairs.team,
    pairs.state_uri,
    pairs.address,
    pairs.declared_by,
    pairs.is_conflict,
    coalesce(differences.differing_attributes, 0) as differing_attributes,
    coalesce(differences.ignored_attributes, 0) as ignored_attributes,
    coalesce(not deciding_rule.is_negation, false) as is_ignored,
    case when not deciding_rule.is_negation then deciding_rule.reason end as ignore_reason,
    round(coalesce(costs.monthly_cost, 0), 2) as monthly_cost,
    pairs.declared_attributes,
    pairs.live_attributes
from pairs
left join differences on differences.resource_key = pairs.resource_key
left join deciding_rule on deciding_rule.resource_key = pairs.resource_key
left join costs on costs.resource_key = pairs.resource_key
