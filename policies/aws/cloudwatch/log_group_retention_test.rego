package aws.cloudwatch.log_group_retention_test

import data.aws.cloudwatch.log_group_retention
import rego.v1

test_denies_short_retention_but_not_never_expiring if {
	log_group_retention.deny == {{"resource": "short", "message": "events are kept 364 days"}} with input.resources.cloudwatch_log_group as {
		"short": {"retention_days": 364},
		"year": {"retention_days": 365},
		"forever": {"retention_days": 0},
	}
}

test_unknown_retention_is_not_judged if {
	count(log_group_retention.deny) == 0 with input.resources.cloudwatch_log_group as {"g": {"retention_days": null}}
}
