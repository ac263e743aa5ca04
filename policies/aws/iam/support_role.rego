# METADATA
# title: No role may manage incidents with AWS Support
# description: >-
#   Someone must be able to open and follow AWS Support cases during an incident without the root
#   user: a role with the AWS-managed AWSSupportAccess policy gives that access.
# custom:
#   id: CF-AWS-IAM-012
#   severity: low
#   category: security
#   resource_types: [iam_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.17"]
#     cis-aws-foundations-v5.0: ["1.16"]
#     aws-foundational-security-best-practices: ["IAM.18"]
#   remediation: >-
#     Create a role your incident responders can assume and attach arn:aws:iam::aws:policy/AWSSupportAccess
#     (Terraform: aws_iam_role_policy_attachment).
#   examples:
#     good:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
#     bad:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: []}
package aws.iam.support_role

import rego.v1

deny contains result if {
	some key, account in input.resources.iam_account
	count(account.support_roles) == 0
	result := {"resource": key, "message": "no role has the AWSSupportAccess policy"}
}
