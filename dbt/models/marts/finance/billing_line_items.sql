-- The billing lines behind the cost marts, with the columns that explain a cost: what the dashboards' drill-down
-- and SQL users read, as the marts are all they may read. A view: the lines are not copied.
select
    line_item_id,
    provider,
    billing_account_id,
    billing_period,
    charge_day,
    charge_period_start_at,
    sub_account_id,
    region_id,
    service_category,
    service_name,
    resource_id,
    resource_name,
    charge_category,
    charge_description,
    sku_id,
    consumed_quantity,
    consumed_unit,
    billed_cost,
    effective_cost,
    list_cost,
    billing_currency,
    commitment_discount_status,
    tags
from {{ ref('stg_billing__focus_charges') }}
