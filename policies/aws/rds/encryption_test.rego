package aws.rds.encryption_test

import data.aws.rds.encryption
import rego.v1

test_denies_unencrypted_instance if {
	encryption.deny == {{"resource": "orders", "message": "storage is not encrypted"}} with input.resources.rds_instance as {
		"orders": {"storage_encrypted": false},
		"users": {"storage_encrypted": true},
	}
}

test_allows_encrypted_instance if {
	count(encryption.deny) == 0 with input.resources.rds_instance as {"users": {"storage_encrypted": true}}
}
