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
