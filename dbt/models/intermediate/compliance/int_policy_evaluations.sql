{#- One row per (policy, resource) the latest policy run judged: every resource of a type the policy covers,
    except rows the run could not map. evaluation_status: failing (an open finding), waived, or passing. -#}
with evaluated as (
    select
        policies.policy_id,
        resources.resource_key,
        resources.cloud,
        resources.account_id,
        resources.team
    from {{ ref('stg_policies__policies') }} as policies
    inner join {{ ref('resources') }} as resources
        on resources.resource_type = any(policies.resource_types)
    where not exists (
        select
        from {{ ref('stg_policies__mapping_errors') }} as errors
        where errors.resource_key = resources.resource_key
    )
)

select
    evaluated.policy_id,
    evaluated.resource_key,
    evaluated.cloud,
    evaluated.account_id,
    evaluated.team,
    case findings.status
        when 'open' then 'failing'
        when 'waived' then 'waived'
        else 'passing'
    end as evaluation_status
from evaluated
left join {{ ref('stg_policies__findings') }} as findings
    on findings.policy_id = evaluated.policy_id
    and findings.resource_key = evaluated.resource_key
    and findings.status <> 'resolved'
