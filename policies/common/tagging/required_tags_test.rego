package common.tagging.required_tags_test

import data.common.tagging.required_tags
import rego.v1

resources := {
	"s3_bucket": {
		"complete": {"tags": {"team": "data", "env": "prod"}},
		"partial": {"tags": {"project": "x"}},
	},
	"kms_key": {
		"aws-managed": {"manager": "AWS", "tags": {}},
		"customer": {"manager": "CUSTOMER", "tags": {"env": "dev"}},
	},
}

test_denies_missing_tags if {
	required_tags.deny == {
		{"resource": "partial", "message": "missing required tags: env, team"},
		{"resource": "customer", "message": "missing required tags: team"},
	} with input.resources as resources with data.cloudforge.tagging.required as ["team", "env"]
}

test_allows_anything_when_nothing_is_required if {
	count(required_tags.deny) == 0 with input.resources as resources with data.cloudforge.tagging.required as []
}
