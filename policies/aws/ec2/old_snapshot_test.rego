package aws.ec2.old_snapshot_test

import data.aws.ec2.old_snapshot
import rego.v1

test_denies_snapshot_older_than_a_year if {
	old_snapshot.deny == {{"resource": "snap-old", "message": "snapshot is 517 days old (limit 365)"}} with input as {
		"now": "2025-06-01T00:00:00Z",
		"resources": {"ebs_snapshot": {
			"snap-old": {"created_at": "2024-01-01T00:00:00Z"},
			"snap-new": {"created_at": "2025-01-01T00:00:00Z"},
			"planned": {"created_at": null},
		}},
	}
}

test_allows_snapshot_exactly_a_year_old if {
	count(old_snapshot.deny) == 0 with input as {
		"now": "2025-06-01T00:00:00Z",
		"resources": {"ebs_snapshot": {"snap": {"created_at": "2024-06-01T00:00:00Z"}}},
	}
}
