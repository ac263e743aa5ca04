package aws.cloudwatch.alarm_config_changes_test

import data.aws.cloudwatch.alarm_config_changes
import rego.v1

cis_pattern := `{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }`

# the last clause (eventName = PutConfigurationRecorder) missing
partial_pattern := `{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = OtherPutConfigurationRecorder)) }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_config_changes.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches AWS Config configuration changes"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
