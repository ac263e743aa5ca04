package lib.tagging_test

import data.lib.tagging
import rego.v1

test_aws_owned_and_terminated_resources_are_exempt if {
	tagging.exempt == {"aws-key", "linked-role", "gone"} with input.resources as {
		"kms_key": {"aws-key": {"manager": "AWS"}, "own-key": {"manager": "CUSTOMER"}},
		"iam_role": {
			"linked-role": {"path": "/aws-service-role/elasticloadbalancing.amazonaws.com/"},
			"app-role": {"path": "/"},
		},
		"ec2_instance": {"gone": {"state": "terminated"}, "web": {"state": "running"}},
		"s3_bucket": {"b": {"tags": {}}},
	}
}

test_required_is_the_configured_list_as_a_set if {
	tagging.required == {"team", "env"} with data.cloudforge.tagging.required as ["team", "env", "team"]
	tagging.required == set() with data.cloudforge.tagging.required as []
}
