package aws.iam.root_hardware_mfa_test

import data.aws.iam.root_hardware_mfa
import rego.v1

test_denies_virtual_and_missing_root_mfa if {
	root_hardware_mfa.deny == {
		{"resource": "virtual", "message": "the root user's MFA device is a virtual one"},
		{"resource": "bare", "message": "the root user has no MFA device"},
	} with input.resources.iam_account as {
		"virtual": {"root_mfa_enabled": true, "root_virtual_mfa": true},
		"bare": {"root_mfa_enabled": false, "root_virtual_mfa": false},
		"hardware": {"root_mfa_enabled": true, "root_virtual_mfa": false},
	}
}
