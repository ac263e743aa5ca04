{#- The policies of each (framework, control), from int_policy_controls: what posture and the recommendation
    list show beside a control. -#}
select
    framework,
    control_id,
    array_agg(distinct policy_id order by policy_id) as policy_ids
from {{ ref('int_policy_controls') }}
group by framework, control_id
