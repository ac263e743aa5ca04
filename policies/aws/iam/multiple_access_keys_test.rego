package aws.iam.multiple_access_keys_test

import data.aws.iam.multiple_access_keys
import rego.v1

test_denies_two_active_keys if {
	multiple_access_keys.deny == {{"resource": "alice", "message": "2 active access keys"}} with input.resources.iam_user as {
		"alice": {"access_keys": [{"active": true}, {"active": true}]},
		"bob": {"access_keys": [{"active": true}, {"active": false}]},
	}
}

test_allows_one_active_key if {
	count(multiple_access_keys.deny) == 0 with input.resources.iam_user as {"bob": {"access_keys": [{"active": true}, {"active": false}]}}
}
