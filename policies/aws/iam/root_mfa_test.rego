package aws.iam.root_mfa_test

import data.aws.iam.root_mfa
import rego.v1

test_denies_root_without_mfa if {
	root_mfa.deny == {{"resource": "bare", "message": "the root user has no MFA device"}} with input.resources.iam_account as {
		"bare": {"root_mfa_enabled": false},
		"guarded": {"root_mfa_enabled": true},
	}
}
