package aws.ec2.instance_profile_test

import data.aws.ec2.instance_profile
import rego.v1

test_denies_instance_profile if {
	instance_profile.deny == {{"resource": "a", "message": "no IAM instance profile is attached"}} with input.resources.ec2_instance as {
		"a": {"has_instance_profile": false},
		"b": {"has_instance_profile": true},
		"gone": {"has_instance_profile": false, "state": "terminated"},
	}
}

test_allows_compliant_or_unknown if {
	count(instance_profile.deny) == 0 with input.resources.ec2_instance as {"b": {"has_instance_profile": true}, "c": {"has_instance_profile": null}}
}
