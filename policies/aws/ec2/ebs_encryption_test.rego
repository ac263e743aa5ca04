package aws.ec2.ebs_encryption_test

import data.aws.ec2.ebs_encryption
import rego.v1

test_denies_unencrypted_volume if {
	ebs_encryption.deny == {{"resource": "vol-1", "message": "volume is not encrypted"}} with input.resources.ebs_volume as {
		"vol-1": {"encrypted": false},
		"vol-2": {"encrypted": true},
	}
}

test_allows_encrypted_and_unknown_volumes if {
	count(ebs_encryption.deny) == 0 with input.resources.ebs_volume as {"vol-2": {"encrypted": true}, "planned": {"encrypted": null}}
}
