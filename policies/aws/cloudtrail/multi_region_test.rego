package aws.cloudtrail.multi_region_test

import data.aws.cloudtrail.multi_region
import rego.v1

test_one_logging_trail_of_all_management_events_is_enough if {
	count(multi_region.deny) == 0 with input.resources.cloudtrail_account as {"111122223333": {"multi_region_trails": [
		{"name": "writes", "logging": true, "management_events": "WriteOnly"},
		{"name": "org", "logging": true, "management_events": "All"},
	]}}
}

test_denies_accounts_without_one if {
	multi_region.deny == {
		{"resource": "none", "message": "the account has no multi-region trail"},
		{"resource": "partial", "message": "none of its multi-region trails (stopped, writes) is logging all read and write management events"},
	} with input.resources.cloudtrail_account as {
		"none": {"multi_region_trails": []},
		"partial": {"multi_region_trails": [
			{"name": "writes", "logging": true, "management_events": "WriteOnly"},
			{"name": "stopped", "logging": false, "management_events": "All"},
		]},
	}
}
