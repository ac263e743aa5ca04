package aws.efs.encryption_test

import data.aws.efs.encryption
import rego.v1

test_denies_unencrypted_file_systems_only if {
	encryption.deny == {{"resource": "plain", "message": "the file system is not encrypted at rest"}} with input.resources.efs_file_system as {
		"plain": {"encrypted": false},
		"sealed": {"encrypted": true},
		"unknown": {"encrypted": null},
	}
}
