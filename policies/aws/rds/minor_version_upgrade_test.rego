package aws.rds.minor_version_upgrade_test

import data.aws.rds.minor_version_upgrade
import rego.v1

test_denies_instance_without_minor_upgrades if {
	minor_version_upgrade.deny == {{"resource": "a", "message": "automatic minor version upgrade is disabled"}} with input.resources.rds_instance as {
		"a": {"auto_minor_version_upgrade": false},
		"b": {"auto_minor_version_upgrade": true},
	}
}

test_allows_instance_with_minor_upgrades if {
	count(minor_version_upgrade.deny) == 0 with input.resources.rds_instance as {"b": {"auto_minor_version_upgrade": true}}
}
