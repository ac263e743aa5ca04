package aws.iam.unused_credentials_test

import data.aws.iam.unused_credentials
import rego.v1

users := {
	"alice": {
		"created_at": "2024-01-01T00:00:00Z",
		"password_enabled": true,
		"password_last_used_at": "2025-04-01T00:00:00Z",
		"access_keys": [
			{"id": "AKIAIDLE", "active": true, "created_at": "2024-01-01T00:00:00Z", "last_used_at": "2025-03-01T00:00:00Z"},
			{"id": "AKIAUSED", "active": true, "created_at": "2024-01-01T00:00:00Z", "last_used_at": "2025-05-30T00:00:00Z"},
		],
	},
	"bob": {
		"created_at": "2025-01-01T00:00:00Z",
		"password_enabled": true,
		"password_last_used_at": null,
		"access_keys": [{"id": "AKIAOFF", "active": false, "created_at": "2020-01-01T00:00:00Z", "last_used_at": null}],
	},
	"carol": {
		"created_at": "2025-05-20T00:00:00Z",
		"password_enabled": true,
		"password_last_used_at": null,
		"access_keys": [{"id": "AKIANEW", "active": true, "created_at": "2025-05-20T00:00:00Z", "last_used_at": null}],
	},
}

test_denies_idle_password_and_keys if {
	unused_credentials.deny == {
		{"resource": "alice", "message": "access key AKIAIDLE unused for 92 days, console password unused for 61 days"},
		{"resource": "bob", "message": "console password unused for 151 days"},
	} with input as {"now": "2025-06-01T00:00:00Z", "resources": {"iam_user": users}}
}

test_allows_recent_credentials_and_planned_users if {
	count(unused_credentials.deny) == 0 with input as {"now": "2025-06-01T00:00:00Z", "resources": {"iam_user": {
		"carol": users.carol,
		"planned": {"created_at": null, "password_enabled": true, "password_last_used_at": null, "access_keys": []},
	}}}
}
