package aws.rds.multi_az_test

import data.aws.rds.multi_az
import rego.v1

test_denies_multi_az if {
	multi_az.deny == {{"resource": "a", "message": "not Multi-AZ"}} with input.resources.rds_instance as {
		"a": {"multi_az": false},
		"b": {"multi_az": true},
	}
}

test_allows_compliant_or_unknown if {
	count(multi_az.deny) == 0 with input.resources.rds_instance as {"b": {"multi_az": true}, "c": {"multi_az": null}}
}
