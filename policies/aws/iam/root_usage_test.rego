package aws.iam.root_usage_test

import data.aws.iam.root_usage
import rego.v1

reported(used) := {"root_credentials_reported": true, "root_last_used_at": used}

test_denies_root_used_within_a_day if {
	root_usage.deny == {
		{"resource": "today", "message": "the root user was used 0 days ago"},
		{"resource": "yesterday", "message": "the root user was used 1 days ago"},
	} with input.now as "2025-06-01T00:00:00Z"
		with input.resources.iam_account as {
			"today": reported("2025-05-31T23:00:00Z"),
			"yesterday": reported("2025-05-30T12:00:00Z"),
			"last_week": reported("2025-05-25T00:00:00Z"),
			"never": reported(null),
		}
}

test_denies_a_report_without_the_root_row if {
	root_usage.deny == {{"resource": "moto", "message": "the credential report has no root user row: its use cannot be checked"}} with input.now as "2025-06-01T00:00:00Z"
		with input.resources.iam_account as {
			"moto": {"root_credentials_reported": false, "root_last_used_at": null},
		}
}
