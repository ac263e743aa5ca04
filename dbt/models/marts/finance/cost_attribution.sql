-- Who pays for each group of daily cost, and why: a shared pool, else team and project from tags, tag rules,
-- the sub account's default, or 'unallocated' (see the cost_allocation_rules doc). Config changes apply to all
-- history on the next build, since this table is rebuilt from cost_daily every time.

with costs as (
    select
        cost_attribution_id,
        any_value(charge_day) as charge_day,
        any_value(provider) as provider,
        any_value(billing_currency) as billing_currency,
        any_value(sub_account_id) as sub_account_id,
        any_value(service_category) as service_category,
        any_value(service_name) as service_name,
        any_value(charge_category) as charge_category,
        any_value(team) as team,
        any_value(project) as project,
        any_value(env) as env,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(list_cost) as list_cost
    from {{ ref('cost_daily') }}
    group by cost_attribution_id  -- a key for the columns taken with any_value
),

matched as (
    select
        costs.*,
        (
            select pools.pool_name
            from {{ ref('int_cost_shared_pools') }} as pools
            where (jsonb_array_length(pools.service_names) = 0 or pools.service_names ? costs.service_name)
                and (jsonb_array_length(pools.service_categories) = 0
                    or pools.service_categories ? costs.service_category)
                and (jsonb_array_length(pools.charge_categories) = 0
                    or pools.charge_categories ? costs.charge_category)
                and (jsonb_array_length(pools.sub_account_ids) = 0 or pools.sub_account_ids ? costs.sub_account_id)
                and (not pools.is_untagged_only or costs.team is null)
            order by pools.pool_order
            limit 1
        ) as cost_pool,
        rules.rule_team,
        rules.rule_project
    from costs
    -- The first matching rule that sets a team, and the first that sets a project.
    cross join lateral (
        select
            (array_agg(rule.team order by rule.rule_order) filter (where rule.team is not null))[1] as rule_team,
            (array_agg(rule.project order by rule.rule_order) filter (where rule.project is not null))[1]
                as rule_project
        from {{ ref('int_cost_tag_rules') }} as rule
        where jsonb_strip_nulls(jsonb_build_object('team', costs.team, 'project', costs.project, 'env', costs.env))
            @> rule.match_tags
    ) as rules
),

attributed as (
    select
        matched.*,
        account_defaults.team as default_team,
        account_defaults.project as default_project
    from matched
    left join {{ ref('int_cost_account_defaults') }} as account_defaults
        on account_defaults.sub_account_id = matched.sub_account_id
)

select
    cost_attribution_id,
    charge_day,
    provider,
    billing_currency,
    sub_account_id,
    service_category,
    service_name,
    charge_category,
    team,
    project,
    env,
    coalesce(cost_pool, 'direct') as cost_pool,
    case when cost_pool is null then coalesce(team, rule_team, default_team, 'unallocated') end as allocated_team,
    case when cost_pool is null then coalesce(project, rule_project, default_project, 'unallocated') end
        as allocated_project,
    case
        when cost_pool is not null then 'shared_pool'
        when team is not null then 'tag'
        when rule_team is not null then 'tag_rule'
        when default_team is not null then 'account_default'
        else 'unallocated'
    end as team_source,
    case
        when cost_pool is not null then 'shared_pool'
        when project is not null then 'tag'
        when rule_project is not null then 'tag_rule'
        when default_project is not null then 'account_default'
        else 'unallocated'
    end as project_source,
    billed_cost,
    effective_cost,
    list_cost
from attributed
