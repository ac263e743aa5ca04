package aws.iam.role_trust_public_test

import data.aws.iam.role_trust_public
import rego.v1

statement(principals, has_condition) := {"effect": "Allow", "principals": principals, "actions": ["sts:AssumeRole"], "has_condition": has_condition}

test_denies_role_open_to_everyone if {
	role_trust_public.deny == {{"resource": "open", "message": "trust policy allows any AWS principal without a condition"}} with input.resources.iam_role as {
		"open": {"trust_statements": [statement({"AWS": ["*"]}, false)]},
		"org": {"trust_statements": [statement({"AWS": ["*"]}, true)]},
	}
}

test_allows_named_principals_and_services if {
	count(role_trust_public.deny) == 0 with input.resources.iam_role as {
		"ec2": {"trust_statements": [statement({"Service": ["ec2.amazonaws.com"]}, false)]},
		"ci": {"trust_statements": [statement({"AWS": ["arn:aws:iam::111111111111:root"]}, false)]},
	}
}
