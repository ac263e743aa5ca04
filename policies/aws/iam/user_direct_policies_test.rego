package aws.iam.user_direct_policies_test

import data.aws.iam.user_direct_policies
import rego.v1

test_denies_attached_and_inline_user_policies if {
	user_direct_policies.deny == {
		{"resource": "attached", "message": "1 managed and 0 inline policies given to the user directly"},
		{"resource": "inline", "message": "0 managed and 2 inline policies given to the user directly"},
	} with input.resources.iam_user as {
		"attached": {"attached_policies": ["arn:aws:iam::1:policy/p"], "inline_policies": []},
		"inline": {"attached_policies": [], "inline_policies": ["a", "b"]},
		"grouped": {"attached_policies": [], "inline_policies": []},
	}
}

test_a_policy_created_in_the_same_plan_counts if {
	count(user_direct_policies.deny) == 1 with input.resources.iam_user as {"planned": {"attached_policies": [null], "inline_policies": []}}
}
