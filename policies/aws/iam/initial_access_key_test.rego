package aws.iam.initial_access_key_test

import data.aws.iam.initial_access_key
import rego.v1

key(active, used) := {"id": "AKIA", "active": active, "last_used_at": used}

test_denies_console_user_with_unused_active_key if {
	initial_access_key.deny == {{"resource": "console", "message": "console user with 1 active access keys never used"}} with input.resources.iam_user as {
		"console": {"password_enabled": true, "access_keys": [key(true, null), key(true, "2025-05-01T00:00:00Z")]},
		"used": {"password_enabled": true, "access_keys": [key(true, "2025-05-01T00:00:00Z")]},
		"inactive": {"password_enabled": true, "access_keys": [key(false, null)]},
		"programmatic": {"password_enabled": false, "access_keys": [key(true, null)]},
	}
}
