package aws.cloudwatch.alarm_kms_key_deletion_test

import data.aws.cloudwatch.alarm_kms_key_deletion
import rego.v1

cis_pattern := `{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`

# the last clause (eventName = ScheduleKeyDeletion) missing
partial_pattern := `{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = OtherScheduleKeyDeletion)) }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_kms_key_deletion.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches disabling or scheduled deletion of KMS keys"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
