package aws.s3.versioning_test

import data.aws.s3.versioning
import rego.v1

test_denies_bucket_without_versioning if {
	versioning.deny == {{"resource": "a", "message": "versioning is not enabled"}} with input.resources.s3_bucket as {
		"a": {"versioning_enabled": false},
		"b": {"versioning_enabled": true},
	}
}

test_allows_versioned_bucket if {
	count(versioning.deny) == 0 with input.resources.s3_bucket as {"b": {"versioning_enabled": true}}
}
