# What an account's multi-region trails record (cloudtrail_account documents): CIS asks whether at least one
# trail that is logging records each kind of event in every region.
package lib.cloudtrail

import rego.v1

# The account has a logging multi-region trail whose `field` is one of `kinds` ("All", "ReadOnly", ...).
recorded(account, field, kinds) if {
	some trail in account.multi_region_trails
	trail.logging == true
	trail[field] in kinds
}

# Why none does: no multi-region trail at all, or which ones there are.
shortfall(account, what) := "the account has no multi-region trail" if {
	count(account.multi_region_trails) == 0
} else := sprintf("none of its multi-region trails (%s) is logging %s", [concat(", ", sort([t.name | some t in account.multi_region_trails])), what])
