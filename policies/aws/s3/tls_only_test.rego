package aws.s3.tls_only_test

import data.aws.s3.tls_only
import rego.v1

test_denies_tls_only if {
	tls_only.deny == {{"resource": "a", "message": "the bucket policy does not deny requests without TLS"}} with input.resources.s3_bucket as {
		"a": {"tls_required": false},
		"b": {"tls_required": true},
	}
}

test_allows_compliant_or_unknown if {
	count(tls_only.deny) == 0 with input.resources.s3_bucket as {"b": {"tls_required": true}, "c": {"tls_required": null}}
}
