-- Monthly budgets (var costs.budgets): one per scope (team, project or account) and name, thresholds in percent.
select
    budget.definition ->> 'scope' as budget_scope,
    budget.definition ->> 'name' as budget_name,
    (budget.definition ->> 'scope') || ':' || (budget.definition ->> 'name') as budget_id,
    (budget.definition ->> 'monthly_amount')::numeric as monthly_amount,
    budget.definition ->> 'currency' as currency,
    array(
        select threshold::int
        from jsonb_array_elements_text(budget.definition -> 'thresholds') as threshold
        order by threshold::int
    ) as thresholds
from jsonb_array_elements({{ cost_config_json('budgets') }}) as budget (definition)
