package aws.rds.public_access_test

import data.aws.rds.public_access
import rego.v1

test_denies_public_instance if {
	public_access.deny == {{"resource": "orders", "message": "instance is publicly accessible"}} with input.resources.rds_instance as {
		"orders": {"publicly_accessible": true},
		"users": {"publicly_accessible": false},
	}
}

test_allows_private_instance if {
	count(public_access.deny) == 0 with input.resources.rds_instance as {"users": {"publicly_accessible": false}}
}
