package aws.iam.access_key_rotation_test

import data.aws.iam.access_key_rotation
import rego.v1

access_key(id, active, created) := {"id": id, "active": active, "created_at": created, "last_used_at": null}

test_denies_active_key_older_than_90_days if {
	access_key_rotation.deny == {{"resource": "alice", "message": "active access keys older than 90 days: AKIAOLD is 151 days old"}} with input as {
		"now": "2025-06-01T00:00:00Z",
		"resources": {"iam_user": {
			"alice": {"access_keys": [
				access_key("AKIAOLD", true, "2025-01-01T00:00:00Z"),
				access_key("AKIANEW", true, "2025-05-01T00:00:00Z"),
			]},
			"bob": {"access_keys": [access_key("AKIAOFF", false, "2020-01-01T00:00:00Z")]},
		}},
	}
}

test_allows_key_exactly_90_days_old if {
	count(access_key_rotation.deny) == 0 with input as {
		"now": "2025-06-01T00:00:00Z",
		"resources": {"iam_user": {"carol": {"access_keys": [access_key("AKIA90", true, "2025-03-03T00:00:00Z")]}}},
	}
}
