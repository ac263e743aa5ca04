package aws.kms.pending_deletion_test

import data.aws.kms.pending_deletion
import rego.v1

test_denies_key_pending_deletion if {
	pending_deletion.deny == {{"resource": "k1", "message": "key is scheduled for deletion"}} with input.resources.kms_key as {
		"k1": {"manager": "CUSTOMER", "state": "PendingDeletion"},
		"k2": {"manager": "CUSTOMER", "state": "Enabled"},
	}
}

test_allows_enabled_key if {
	count(pending_deletion.deny) == 0 with input.resources.kms_key as {"k2": {"manager": "CUSTOMER", "state": "Enabled"}}
}
