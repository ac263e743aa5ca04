package aws.cloudwatch.alarm_root_usage_test

import data.aws.cloudwatch.alarm_root_usage
import rego.v1

cis_pattern := `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`

# the last clause (eventType != AwsServiceEvent) missing
partial_pattern := `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "OtherAwsServiceEvent" }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_root_usage.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches use of the root user"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
