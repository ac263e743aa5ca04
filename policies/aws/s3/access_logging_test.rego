package aws.s3.access_logging_test

import data.aws.s3.access_logging
import rego.v1

test_denies_access_logging if {
	access_logging.deny == {{"resource": "a", "message": "server access logging is off"}} with input.resources.s3_bucket as {
		"a": {"access_logging_enabled": false},
		"b": {"access_logging_enabled": true},
	}
}

test_allows_compliant_or_unknown if {
	count(access_logging.deny) == 0 with input.resources.s3_bucket as {"b": {"access_logging_enabled": true}, "c": {"access_logging_enabled": null}}
}
