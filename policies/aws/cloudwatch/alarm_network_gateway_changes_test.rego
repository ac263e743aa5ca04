package aws.cloudwatch.alarm_network_gateway_changes_test

import data.aws.cloudwatch.alarm_network_gateway_changes
import rego.v1

cis_pattern := `{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }`

# the last clause (eventName = DetachInternetGateway) missing
partial_pattern := `{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = OtherDetachInternetGateway) }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_network_gateway_changes.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches network gateway changes"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
