package aws.s3.public_bucket_test

import data.aws.s3.public_bucket
import rego.v1

bucket(acl, policy, ignore_acls, restrict) := {
	"public_acl": acl,
	"public_policy": policy,
	"public_access_block": {"ignore_public_acls": ignore_acls, "restrict_public_buckets": restrict},
}

test_denies_a_public_acl_or_policy_the_block_does_not_neutralise if {
	public_bucket.deny == {
		{"resource": "acl", "message": "the ACL grants access to everyone"},
		{"resource": "both", "message": "the ACL grants access to everyone; the bucket policy allows everyone"},
		{"resource": "policy", "message": "the bucket policy allows everyone"},
	} with input.resources.s3_bucket as {
		"acl": bucket(true, false, false, false),
		"policy": bucket(false, true, false, false),
		"both": bucket(true, true, false, false),
		"blocked": bucket(true, true, true, true),
		"private": bucket(false, false, false, false),
		"unknown": bucket(null, null, false, false),
	}
}
