{#- Pass rate per framework, control, account and team. A resource counts once per control, however many of
    the control's policies judge it: failing when any of them has an open finding, waived when none fails
    but one is waived, passing otherwise. pass_rate counts waived resources as not failing. -#}
with per_resource as (
    select
        controls.framework,
        controls.control_id,
        evaluations.cloud,
        evaluations.account_id,
        coalesce(evaluations.team, 'unassigned') as team,
        evaluations.resource_key,
        bool_or(evaluations.evaluation_status = 'failing') as is_failing,
        bool_or(evaluations.evaluation_status = 'waived') as is_waived
    from {{ ref('int_policy_evaluations') }} as evaluations
    inner join {{ ref('int_policy_controls') }} as controls
        on controls.policy_id = evaluations.policy_id
    group by 1, 2, 3, 4, 5, 6
),

control_policies as (
    select * from {{ ref('int_control_policies') }}
)

select
    per_resource.framework,
    per_resource.control_id,
    per_resource.cloud,
    per_resource.account_id,
    per_resource.team,
    control_policies.policy_ids,
    count(*) as evaluated_resources,
    count(*) filter (where per_resource.is_failing) as failing_resources,
    count(*) filter (where per_resource.is_waived and not per_resource.is_failing) as waived_resources,
    count(*) filter (where not per_resource.is_failing and not per_resource.is_waived) as passing_resources,
    round(1 - (count(*) filter (where per_resource.is_failing))::numeric / count(*), 4)::numeric(5, 4)
        as pass_rate
from per_resource
inner join control_policies
    on control_policies.framework = per_resource.framework
    and control_policies.control_id = per_resource.control_id
group by 1, 2, 3, 4, 5, 6
