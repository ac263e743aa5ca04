package aws.iam.support_role_test

import data.aws.iam.support_role
import rego.v1

test_denies_account_without_support_role if {
	support_role.deny == {{"resource": "alone", "message": "no role has the AWSSupportAccess policy"}} with input.resources.iam_account as {
		"alone": {"support_roles": []},
		"supported": {"support_roles": ["support"]},
	}
}
