-- Allocated cost equals the billing data's cost per provider, currency and day, to the cent, billed and
-- effective alike. Any row returned is a provider-day where allocation lost or invented money.
select *
from {{ ref('cost_reconciliation') }}
where billed_difference <> 0
    or effective_difference <> 0
