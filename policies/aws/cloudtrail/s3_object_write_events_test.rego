package aws.cloudtrail.s3_object_write_events_test

import data.aws.cloudtrail.s3_object_write_events
import rego.v1

test_a_logging_trail_of_write_or_all_object_events_is_enough if {
	count(s3_object_write_events.deny) == 0 with input.resources.cloudtrail_account as {
		"only": {"multi_region_trails": [{"name": "data", "logging": true, "s3_object_events": "WriteOnly"}]},
		"all": {"multi_region_trails": [{"name": "data", "logging": true, "s3_object_events": "All"}]},
	}
}

test_denies_accounts_recording_no_write_events if {
	s3_object_write_events.deny == {
		{"resource": "other", "message": "none of its multi-region trails (data) is logging S3 object-level write events of every bucket"},
		{"resource": "stopped", "message": "none of its multi-region trails (data) is logging S3 object-level write events of every bucket"},
		{"resource": "none", "message": "the account has no multi-region trail"},
	} with input.resources.cloudtrail_account as {
		"other": {"multi_region_trails": [{"name": "data", "logging": true, "s3_object_events": "ReadOnly"}]},
		"stopped": {"multi_region_trails": [{"name": "data", "logging": false, "s3_object_events": "All"}]},
		"none": {"multi_region_trails": []},
	}
}
