package aws.ec2.detailed_monitoring_test

import data.aws.ec2.detailed_monitoring
import rego.v1

test_denies_detailed_monitoring if {
	detailed_monitoring.deny == {{"resource": "a", "message": "detailed monitoring is off"}} with input.resources.ec2_instance as {
		"a": {"detailed_monitoring": false},
		"b": {"detailed_monitoring": true},
		"gone": {"detailed_monitoring": false, "state": "terminated"},
	}
}

test_allows_compliant_or_unknown if {
	count(detailed_monitoring.deny) == 0 with input.resources.ec2_instance as {"b": {"detailed_monitoring": true}, "c": {"detailed_monitoring": null}}
}
