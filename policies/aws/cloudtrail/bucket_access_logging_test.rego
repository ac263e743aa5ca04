package aws.cloudtrail.bucket_access_logging_test

import data.aws.cloudtrail.bucket_access_logging
import rego.v1

test_denies_a_bucket_without_access_logging if {
	bucket_access_logging.deny == {{"resource": "plain", "message": "its bucket acme-trail has no server access logging"}} with input.resources.cloudtrail_trail as {
		"plain": {"s3_bucket_name": "acme-trail", "s3_bucket_access_logging": false},
		"logged": {"s3_bucket_name": "acme-trail-2", "s3_bucket_access_logging": true},
	}
}

test_a_bucket_it_cannot_read_is_not_judged if {
	count(bucket_access_logging.deny) == 0 with input.resources.cloudtrail_trail as {
		"elsewhere": {"s3_bucket_name": "central-logs", "s3_bucket_access_logging": null},
	}
}
