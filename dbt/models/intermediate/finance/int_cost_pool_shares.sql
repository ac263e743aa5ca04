-- Fixed shares of the pools split 'fixed' (var costs.shared_pools[].shares): team, project and percent.
select
    pool.definition ->> 'name' as pool_name,
    share.value ->> 'team' as team,
    share.value ->> 'project' as project,
    (share.value ->> 'percent')::numeric as share_percent
from jsonb_array_elements({{ cost_config_json('shared_pools') }}) as pool (definition)
cross join lateral jsonb_array_elements(pool.definition -> 'shares') as share
