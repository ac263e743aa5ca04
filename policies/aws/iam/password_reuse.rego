# METADATA
# title: IAM password policy does not prevent reusing the last 24 passwords
# description: >-
#   Reuse prevention stops users cycling back to a password that may already have leaked; without an
#   account password policy any previous password can be reused.
# custom:
#   id: CF-AWS-IAM-007
#   severity: medium
#   category: security
#   resource_types: [iam_password_policy]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.9"]
#     cis-aws-foundations-v5.0: ["1.8"]
#     aws-foundational-security-best-practices: ["IAM.16"]
#   remediation: >-
#     Remember 24 passwords (aws iam update-account-password-policy --password-reuse-prevention 24;
#     Terraform: aws_iam_account_password_policy password_reuse_prevention = 24).
#   examples:
#     good:
#       iam_password_policy: {exists: true, minimum_length: 14, reuse_prevention: 24, require_symbols: true,
#         require_numbers: true, require_uppercase: true, require_lowercase: true, max_age_days: 90}
#     bad:
#       iam_password_policy: {exists: true, minimum_length: 14, reuse_prevention: null, require_symbols: true,
#         require_numbers: true, require_uppercase: true, require_lowercase: true, max_age_days: 90}
package aws.iam.password_reuse

import rego.v1

remembered := 24

deny contains result if {
	some key, policy in input.resources.iam_password_policy
	not prevents_reuse(policy)
	result := {"resource": key, "message": message(policy)}
}

prevents_reuse(policy) if {
	is_number(policy.reuse_prevention)
	policy.reuse_prevention >= remembered
}

message(policy) := "the account has no password policy, so passwords can be reused" if {
	policy.exists == false
} else := "password reuse is not prevented" if {
	policy.reuse_prevention == null
} else := sprintf("only the last %d passwords cannot be reused", [policy.reuse_prevention])
