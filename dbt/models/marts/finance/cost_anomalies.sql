-- Days when a team's usage of a service cost more than its baseline by at least min_deviation robust standard
-- deviations and at least min_impact (var costs.anomalies), so ordinary noise and pennies page nobody.

with scores as (
    select * from {{ ref('int_cost_anomaly_scores') }}
)

select
    charge_day,
    provider,
    billing_currency,
    team,
    service_name,
    round(cost, 2)::numeric(18, 2) as effective_cost,
    round(baseline_cost, 2)::numeric(18, 2) as baseline_cost,
    round(spread, 2)::numeric(18, 2) as spread,
    case when spread > 0 then round(impact / spread, 2) end::numeric(12, 2) as deviation,
    round(impact, 2)::numeric(18, 2) as impact
from scores
where impact > 0
    and impact >= {{ cost_config_number('anomalies', 'min_impact') }}
    and impact >= {{ cost_config_number('anomalies', 'min_deviation') }} * spread
