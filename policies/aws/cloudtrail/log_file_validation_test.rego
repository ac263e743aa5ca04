package aws.cloudtrail.log_file_validation_test

import data.aws.cloudtrail.log_file_validation
import rego.v1

test_denies_trails_without_validation_only if {
	log_file_validation.deny == {{"resource": "plain", "message": "log file validation is not enabled"}} with input.resources.cloudtrail_trail as {
		"plain": {"log_file_validation": false},
		"validated": {"log_file_validation": true},
		"unknown": {"log_file_validation": null},
	}
}
