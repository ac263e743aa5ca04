package aws.kms.rotation_test

import data.aws.kms.rotation
import rego.v1

customer_key(rotation) := {"manager": "CUSTOMER", "spec": "SYMMETRIC_DEFAULT", "state": "Enabled", "rotation_enabled": rotation}

test_denies_customer_key_without_rotation if {
	rotation.deny == {{"resource": "k1", "message": "automatic key rotation is disabled"}} with input.resources.kms_key as {
		"k1": customer_key(false),
		"k2": customer_key(true),
	}
}

test_allows_aws_managed_asymmetric_and_disabled_keys if {
	count(rotation.deny) == 0 with input.resources.kms_key as {
		"aws": object.union(customer_key(false), {"manager": "AWS"}),
		"rsa": object.union(customer_key(false), {"spec": "RSA_2048"}),
		"off": object.union(customer_key(false), {"state": "Disabled"}),
	}
}
