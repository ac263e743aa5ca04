package aws.s3.encryption_test

import data.aws.s3.encryption
import rego.v1

test_denies_bucket_without_default_encryption if {
	encryption.deny == {{"resource": "data", "message": "no default server-side encryption configured"}} with input.resources.s3_bucket as {
		"data": {"encryption_algorithm": null},
		"keys": {"encryption_algorithm": "aws:kms"},
	}
}

test_allows_sse_s3_and_sse_kms if {
	count(encryption.deny) == 0 with input.resources.s3_bucket as {
		"a": {"encryption_algorithm": "AES256"},
		"b": {"encryption_algorithm": "aws:kms"},
	}
}
