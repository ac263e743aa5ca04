package aws.cloudwatch.log_group_kms_test

import data.aws.cloudwatch.log_group_kms
import rego.v1

test_denies_groups_without_a_key_only if {
	log_group_kms.deny == {{"resource": "plain", "message": "no KMS key encrypts the log group"}} with input.resources.cloudwatch_log_group as {
		"plain": {"kms_encrypted": false},
		"keyed": {"kms_encrypted": true},
	}
}

test_unknown_key_is_not_judged if {
	count(log_group_kms.deny) == 0 with input.resources.cloudwatch_log_group as {"g": {"kms_encrypted": null}}
}
