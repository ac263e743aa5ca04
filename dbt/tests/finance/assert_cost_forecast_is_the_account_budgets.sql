-- The Costs page's forecast is the budgets' forecast: for every account budget and month, the effective-cost
-- forecasts of the account's cost_forecast rows (in the budget's currency) add up, rounded to cents, to the
-- budget's forecast_cost. Any row returned is a budget whose forecast the Costs page would show otherwise.
with page as (
    select
        budgets.budget_id,
        forecasts.forecast_month,
        round(sum(forecasts.forecast_cost), 2) as forecast_cost
    from {{ ref('budget_status') }} as budgets
    inner join {{ ref('cost_forecast') }} as forecasts
        on forecasts.sub_account_id = budgets.budget_name
        and forecasts.billing_currency = budgets.currency
        and forecasts.forecast_month = budgets.budget_month
        and forecasts.cost_measure = 'effective_cost'
    where budgets.budget_scope = 'account'
    group by budgets.budget_id, forecasts.forecast_month
)

select budgets.budget_id, budgets.budget_month, budgets.forecast_cost, page.forecast_cost as page_forecast_cost
from {{ ref('budget_status') }} as budgets
left join page
    on page.budget_id = budgets.budget_id
    and page.forecast_month = budgets.budget_month
where budgets.budget_scope = 'account'
    and budgets.forecast_cost <> coalesce(page.forecast_cost, 0)
