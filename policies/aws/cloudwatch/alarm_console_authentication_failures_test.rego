package aws.cloudwatch.alarm_console_authentication_failures_test

import data.aws.cloudwatch.alarm_console_authentication_failures
import rego.v1

cis_pattern := `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`

# the last clause (errorMessage = Failed authentication) missing
partial_pattern := `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "OtherFailed authentication") }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_console_authentication_failures.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches console authentication failures"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
