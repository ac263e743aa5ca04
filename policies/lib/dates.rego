# Ages relative to input.now, which the caller sets: policies never read the clock, so a run is repeatable.
package lib.dates

import rego.v1

ns_per_day := ((24 * 60) * 60) * 1000000000

now_ns := time.parse_rfc3339_ns(input.now)

# Whole days from the RFC 3339 timestamp ts to input.now; undefined when ts is null.
days_since(ts) := days if {
	is_string(ts)
	days := floor((now_ns - time.parse_rfc3339_ns(ts)) / ns_per_day)
}

# The timestamp of the last use of a credential, or of its creation when it was never used.
last_activity(used, _) := used if used != null

last_activity(used, created) := created if used == null
