package aws.ec2.imdsv2_test

import data.aws.ec2.imdsv2
import rego.v1

test_denies_instance_accepting_imdsv1 if {
	imdsv2.deny == {{
		"resource": "i-1",
		"message": "instance metadata service accepts IMDSv1 (HttpTokens is not required)",
	}} with input.resources.ec2_instance as {
		"i-1": {"state": "running", "imdsv2_required": false},
		"i-2": {"state": "running", "imdsv2_required": true},
	}
}

test_allows_unknown_and_terminated_instances if {
	count(imdsv2.deny) == 0 with input.resources.ec2_instance as {
		"planned": {"state": null, "imdsv2_required": null},
		"gone": {"state": "terminated", "imdsv2_required": false},
	}
}
