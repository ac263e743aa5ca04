package aws.cloudwatch.alarm_vpc_changes_test

import data.aws.cloudwatch.alarm_vpc_changes
import rego.v1

cis_pattern := `{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }`

# the last clause (eventName = EnableVpcClassicLink) missing
partial_pattern := `{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = OtherEnableVpcClassicLink) }`

test_the_cis_pattern_passes_a_partial_one_and_no_log_group_fail if {
	alarm_vpc_changes.deny == {
		{"resource": "partial", "message": "no metric filter on its CloudWatch Logs log group matches VPC changes"},
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
	} with input.resources.cloudtrail_trail as {
		"cis": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": cis_pattern, "alarmed": true, "subscribed": true}]},
		"partial": {"cloudwatch_logs_integrated": true, "metric_filters": [{"name": "f", "pattern": partial_pattern, "alarmed": true, "subscribed": true}]},
		"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
	}
}
