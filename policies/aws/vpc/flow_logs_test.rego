package aws.vpc.flow_logs_test

import data.aws.vpc.flow_logs
import rego.v1

test_denies_a_vpc_without_flow_logs if {
	flow_logs.deny == {{"resource": "quiet", "message": "no active flow log records the VPC's traffic"}} with input.resources.vpc as {
		"quiet": {"flow_logs_enabled": false},
		"logged": {"flow_logs_enabled": true},
	}
}
