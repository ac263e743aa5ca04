package aws.iam.password_length_test

import data.aws.iam.password_length
import rego.v1

with_length(length) := {"exists": true, "minimum_length": length}

test_denies_short_minimum_and_no_policy if {
	password_length.deny == {
		{"resource": "short", "message": "passwords of 13 characters are accepted"},
		{"resource": "none", "message": "the account has no password policy (IAM accepts 8 characters)"},
	} with input.resources.iam_password_policy as {
		"short": with_length(13),
		"long": with_length(14),
		"none": {"exists": false, "minimum_length": null},
	}
}

test_unknown_length_is_not_judged if {
	count(password_length.deny) == 0 with input.resources.iam_password_policy as {"p": with_length(null)}
}
