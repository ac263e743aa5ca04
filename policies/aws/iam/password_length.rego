# METADATA
# title: IAM password policy allows passwords shorter than 14 characters
# description: >-
#   Long passwords resist guessing and cracking; without an account password policy IAM accepts
#   passwords of 8 characters.
# custom:
#   id: CF-AWS-IAM-006
#   severity: medium
#   category: security
#   resource_types: [iam_password_policy]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.8"]
#     cis-aws-foundations-v5.0: ["1.7"]
#     aws-foundational-security-best-practices: ["IAM.15"]
#   remediation: >-
#     Require 14 characters or more (aws iam update-account-password-policy --minimum-password-length 14;
#     Terraform: aws_iam_account_password_policy minimum_password_length = 14).
#   examples:
#     good:
#       iam_password_policy: {exists: true, minimum_length: 14, reuse_prevention: 24, require_symbols: true,
#         require_numbers: true, require_uppercase: true, require_lowercase: true, max_age_days: 90}
#     bad:
#       iam_password_policy: {exists: true, minimum_length: 8, reuse_prevention: 24, require_symbols: true,
#         require_numbers: true, require_uppercase: true, require_lowercase: true, max_age_days: 90}
package aws.iam.password_length

import rego.v1

minimum := 14

deny contains result if {
	some key, policy in input.resources.iam_password_policy
	policy.exists == false
	result := {"resource": key, "message": "the account has no password policy (IAM accepts 8 characters)"}
}

deny contains result if {
	some key, policy in input.resources.iam_password_policy
	is_number(policy.minimum_length)
	policy.minimum_length < minimum
	result := {"resource": key, "message": sprintf("passwords of %d characters are accepted", [policy.minimum_length])}
}
