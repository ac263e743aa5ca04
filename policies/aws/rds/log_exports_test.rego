package aws.rds.log_exports_test

import data.aws.rds.log_exports
import rego.v1

test_denies_log_exports if {
	log_exports.deny == {{"resource": "a", "message": "no logs exported to CloudWatch Logs"}} with input.resources.rds_instance as {
		"a": {"log_exports": []},
		"b": {"log_exports": ["error"]},
	}
}

test_allows_compliant_or_unknown if {
	count(log_exports.deny) == 0 with input.resources.rds_instance as {"b": {"log_exports": ["error"]}, "c": {"log_exports": null}}
}
