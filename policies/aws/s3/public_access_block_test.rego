package aws.s3.public_access_block_test

import data.aws.s3.public_access_block
import rego.v1

all_on := {
	"block_public_acls": true,
	"ignore_public_acls": true,
	"block_public_policy": true,
	"restrict_public_buckets": true,
}

test_denies_bucket_with_settings_off if {
	block := object.union(all_on, {"block_public_policy": false, "restrict_public_buckets": false})
	public_access_block.deny == {{
		"resource": "logs",
		"message": "public access block settings off: block_public_policy, restrict_public_buckets",
	}} with input.resources.s3_bucket as {"logs": {"public_access_block": block}}
}

test_allows_bucket_with_every_setting_on if {
	count(public_access_block.deny) == 0 with input.resources.s3_bucket as {"logs": {"public_access_block": all_on}}
}
