package aws.cloudwatch.alarm_unauthorized_api_calls_test

import data.aws.cloudwatch.alarm_unauthorized_api_calls
import rego.v1

cis_pattern := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }`

# the last clause (errorCode = AccessDenied*) missing
partial_pattern := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "OtherAccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_unauthorized_api_calls.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches unauthorized API calls"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
