package aws.rds.deletion_protection_test

import data.aws.rds.deletion_protection
import rego.v1

test_denies_unprotected_instance if {
	deletion_protection.deny == {{"resource": "a", "message": "deletion protection is off"}} with input.resources.rds_instance as {
		"a": {"deletion_protection": false},
		"b": {"deletion_protection": true},
	}
}

test_allows_protected_instance if {
	count(deletion_protection.deny) == 0 with input.resources.rds_instance as {"b": {"deletion_protection": true}}
}
