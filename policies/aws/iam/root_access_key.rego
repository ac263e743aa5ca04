# METADATA
# title: The root user has access keys
# description: >-
#   Root access keys hold unrestricted power over the account and no policy can limit them; any
#   programmatic work belongs to IAM users or roles with scoped permissions.
# custom:
#   id: CF-AWS-IAM-008
#   severity: critical
#   category: security
#   resource_types: [iam_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.4"]
#     cis-aws-foundations-v5.0: ["1.3"]
#     aws-foundational-security-best-practices: ["IAM.4"]
#   remediation: >-
#     Sign in as the root user, delete its access keys (Security credentials, Access keys), and give the
#     workloads that used them an IAM role instead.
#   examples:
#     good:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
#     bad:
#       iam_account: {root_access_keys_present: true, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
package aws.iam.root_access_key

import rego.v1

deny contains result if {
	some key, account in input.resources.iam_account
	account.root_access_keys_present == true
	result := {"resource": key, "message": "the root user has access keys"}
}
