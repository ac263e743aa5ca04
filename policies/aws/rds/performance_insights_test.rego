package aws.rds.performance_insights_test

import data.aws.rds.performance_insights
import rego.v1

test_denies_performance_insights if {
	performance_insights.deny == {{"resource": "a", "message": "Performance Insights is off"}} with input.resources.rds_instance as {
		"a": {"performance_insights_enabled": false},
		"b": {"performance_insights_enabled": true},
	}
}

test_allows_compliant_or_unknown if {
	count(performance_insights.deny) == 0 with input.resources.rds_instance as {"b": {"performance_insights_enabled": true}, "c": {"performance_insights_enabled": null}}
}
