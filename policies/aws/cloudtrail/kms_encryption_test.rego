package aws.cloudtrail.kms_encryption_test

import data.aws.cloudtrail.kms_encryption
import rego.v1

test_denies_trails_without_a_key_only if {
	kms_encryption.deny == {{"resource": "plain", "message": "no KMS key encrypts the log files"}} with input.resources.cloudtrail_trail as {
		"plain": {"kms_encrypted": false},
		"keyed": {"kms_encrypted": true},
		"unknown": {"kms_encrypted": null},
	}
}
