package aws.s3.mfa_delete_test

import data.aws.s3.mfa_delete
import rego.v1

test_denies_bucket_without_mfa_delete if {
	mfa_delete.deny == {{"resource": "a", "message": "MFA Delete is not enabled"}} with input.resources.s3_bucket as {
		"a": {"mfa_delete_enabled": false},
		"b": {"mfa_delete_enabled": true},
	}
}

test_allows_bucket_with_mfa_delete if {
	count(mfa_delete.deny) == 0 with input.resources.s3_bucket as {"b": {"mfa_delete_enabled": true}}
}
