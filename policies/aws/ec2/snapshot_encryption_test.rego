package aws.ec2.snapshot_encryption_test

import data.aws.ec2.snapshot_encryption
import rego.v1

test_denies_unencrypted_snapshot if {
	snapshot_encryption.deny == {{"resource": "snap-1", "message": "snapshot is not encrypted"}} with input.resources.ebs_snapshot as {
		"snap-1": {"encrypted": false},
		"snap-2": {"encrypted": true},
	}
}

test_allows_encrypted_snapshot if {
	count(snapshot_encryption.deny) == 0 with input.resources.ebs_snapshot as {"snap-2": {"encrypted": true}}
}
