package aws.rds.backup_retention_test

import data.aws.rds.backup_retention
import rego.v1

test_denies_disabled_and_short_retention if {
	backup_retention.deny == {
		{"resource": "off", "message": "automated backups are disabled"},
		{"resource": "short", "message": "backups are kept 1 days (minimum 7)"},
	} with input.resources.rds_instance as {
		"off": {"backup_retention_days": 0},
		"short": {"backup_retention_days": 1},
		"week": {"backup_retention_days": 7},
	}
}

test_allows_a_week_or_unknown if {
	count(backup_retention.deny) == 0 with input.resources.rds_instance as {"week": {"backup_retention_days": 7}, "planned": {"backup_retention_days": null}}
}
