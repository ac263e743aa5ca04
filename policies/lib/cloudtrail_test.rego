package lib.cloudtrail_test

import data.lib.cloudtrail
import rego.v1

test_recorded_needs_a_logging_trail_of_the_kind if {
	account := {"multi_region_trails": [
		{"name": "stopped", "logging": false, "management_events": "All"},
		{"name": "reads", "logging": true, "management_events": "ReadOnly"},
	]}
	not cloudtrail.recorded(account, "management_events", {"All"})
	cloudtrail.recorded(account, "management_events", {"All", "ReadOnly"})
}

test_shortfall_names_the_trails_or_their_absence if {
	cloudtrail.shortfall({"multi_region_trails": []}, "x") == "the account has no multi-region trail"
	cloudtrail.shortfall({"multi_region_trails": [{"name": "b"}, {"name": "a"}]}, "x") == "none of its multi-region trails (a, b) is logging x"
}
