-- Shared-cost pools (var costs.shared_pools) in order of precedence: a charge goes to the first pool it matches.
-- An empty criterion list accepts any value.
select
    pool.pool_order,
    pool.definition ->> 'name' as pool_name,
    pool.definition -> 'service_names' as service_names,
    pool.definition -> 'service_categories' as service_categories,
    pool.definition -> 'charge_categories' as charge_categories,
    pool.definition -> 'sub_account_ids' as sub_account_ids,
    (pool.definition ->> 'untagged_only')::boolean as is_untagged_only,
    pool.definition ->> 'split' as split_method
from jsonb_array_elements({{ cost_config_json('shared_pools') }}) with ordinality as pool (definition, pool_order)
