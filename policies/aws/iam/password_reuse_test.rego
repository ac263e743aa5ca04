package aws.iam.password_reuse_test

import data.aws.iam.password_reuse
import rego.v1

with_reuse(count) := {"exists": true, "reuse_prevention": count}

test_denies_missing_short_and_absent_reuse_prevention if {
	password_reuse.deny == {
		{"resource": "five", "message": "only the last 5 passwords cannot be reused"},
		{"resource": "off", "message": "password reuse is not prevented"},
		{"resource": "none", "message": "the account has no password policy, so passwords can be reused"},
	} with input.resources.iam_password_policy as {
		"five": with_reuse(5),
		"off": with_reuse(null),
		"full": with_reuse(24),
		"none": {"exists": false, "reuse_prevention": null},
	}
}
