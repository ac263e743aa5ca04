package aws.rds.iam_authentication_test

import data.aws.rds.iam_authentication
import rego.v1

test_denies_iam_authentication if {
	iam_authentication.deny == {{"resource": "a", "message": "IAM database authentication is off"}} with input.resources.rds_instance as {
		"a": {"iam_auth_enabled": false},
		"b": {"iam_auth_enabled": true},
	}
}

test_allows_compliant_or_unknown if {
	count(iam_authentication.deny) == 0 with input.resources.rds_instance as {"b": {"iam_auth_enabled": true}, "c": {"iam_auth_enabled": null}}
}
