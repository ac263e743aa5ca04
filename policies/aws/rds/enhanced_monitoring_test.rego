package aws.rds.enhanced_monitoring_test

import data.aws.rds.enhanced_monitoring
import rego.v1

test_denies_enhanced_monitoring if {
	enhanced_monitoring.deny == {{"resource": "a", "message": "enhanced monitoring is off"}} with input.resources.rds_instance as {
		"a": {"monitoring_interval": 0},
		"b": {"monitoring_interval": 60},
	}
}

test_allows_compliant_or_unknown if {
	count(enhanced_monitoring.deny) == 0 with input.resources.rds_instance as {"b": {"monitoring_interval": 60}, "c": {"monitoring_interval": null}}
}
