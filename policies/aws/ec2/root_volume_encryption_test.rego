package aws.ec2.root_volume_encryption_test

import data.aws.ec2.root_volume_encryption
import rego.v1

test_denies_root_volume_encryption if {
	root_volume_encryption.deny == {{"resource": "a", "message": "the root volume is not encrypted"}} with input.resources.ec2_instance as {
		"a": {"root_volume_encrypted": false},
		"b": {"root_volume_encrypted": true},
		"gone": {"root_volume_encrypted": false, "state": "terminated"},
	}
}

test_allows_compliant_or_unknown if {
	count(root_volume_encryption.deny) == 0 with input.resources.ec2_instance as {"b": {"root_volume_encrypted": true}, "c": {"root_volume_encrypted": null}}
}
