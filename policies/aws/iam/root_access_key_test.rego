package aws.iam.root_access_key_test

import data.aws.iam.root_access_key
import rego.v1

test_denies_root_access_keys if {
	root_access_key.deny == {{"resource": "keyed", "message": "the root user has access keys"}} with input.resources.iam_account as {
		"keyed": {"root_access_keys_present": true},
		"clean": {"root_access_keys_present": false},
	}
}
