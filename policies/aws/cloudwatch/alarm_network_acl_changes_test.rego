package aws.cloudwatch.alarm_network_acl_changes_test

import data.aws.cloudwatch.alarm_network_acl_changes
import rego.v1

cis_pattern := `{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`

# the last clause (eventName = ReplaceNetworkAclAssociation) missing
partial_pattern := `{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = OtherReplaceNetworkAclAssociation) }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_network_acl_changes.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches network ACL changes"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
