package aws.iam.console_mfa_test

import data.aws.iam.console_mfa
import rego.v1

test_denies_console_user_without_mfa if {
	console_mfa.deny == {{"resource": "alice", "message": "console password without MFA"}} with input.resources.iam_user as {
		"alice": {"password_enabled": true, "mfa_enabled": false},
		"bob": {"password_enabled": true, "mfa_enabled": true},
		"ci": {"password_enabled": false, "mfa_enabled": false},
	}
}

test_allows_planned_user_whose_mfa_is_unknown if {
	count(console_mfa.deny) == 0 with input.resources.iam_user as {"planned": {"password_enabled": true, "mfa_enabled": null}}
}
