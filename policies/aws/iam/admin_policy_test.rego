package aws.iam.admin_policy_test

import data.aws.iam.admin_policy
import rego.v1

statement(effect, actions, resources) := {"effect": effect, "actions": actions, "resources": resources}

test_denies_attached_or_planned_full_admin_policies if {
	admin_policy.deny == {
		{"resource": "admin", "message": "allows every action (*) on every resource (*)"},
		{"resource": "planned", "message": "allows every action (*) on every resource (*)"},
	} with input.resources.iam_policy as {
		"admin": {"attachment_count": 2, "statements": [statement("Allow", ["s3:GetObject", "*"], ["*"])]},
		"planned": {"attachment_count": null, "statements": [statement("Allow", ["*"], ["*"])]},
		"detached": {"attachment_count": 0, "statements": [statement("Allow", ["*"], ["*"])]},
		"denying": {"attachment_count": 1, "statements": [statement("Deny", ["*"], ["*"])]},
		"scoped": {"attachment_count": 1, "statements": [statement("Allow", ["*"], ["arn:aws:s3:::logs/*"])]},
		"service_wide": {"attachment_count": 1, "statements": [statement("Allow", ["s3:*"], ["*"])]},
	}
}
