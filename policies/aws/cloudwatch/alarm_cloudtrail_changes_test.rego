package aws.cloudwatch.alarm_cloudtrail_changes_test

import data.aws.cloudwatch.alarm_cloudtrail_changes
import rego.v1

cis_pattern := `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`

# the last clause (eventName = StopLogging) missing
partial_pattern := `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = OtherStopLogging) }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_cloudtrail_changes.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches CloudTrail configuration changes"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
