package lib.dates_test

import data.lib.dates
import rego.v1

test_days_since_counts_whole_days if {
	dates.days_since("2025-03-01T12:00:00Z") == 91 with input.now as "2025-06-01T00:00:00Z"
}

test_days_since_is_undefined_for_null if {
	not dates.days_since(null) with input.now as "2025-06-01T00:00:00Z"
}

test_last_activity_prefers_last_use if {
	dates.last_activity("2025-05-01T00:00:00Z", "2024-01-01T00:00:00Z") == "2025-05-01T00:00:00Z"
	dates.last_activity(null, "2024-01-01T00:00:00Z") == "2024-01-01T00:00:00Z"
}
