# METADATA
# title: The root user has no MFA
# description: >-
#   Without MFA the root user, who can do anything in the account, is one stolen password away from
#   a takeover.
# custom:
#   id: CF-AWS-IAM-009
#   severity: critical
#   category: security
#   resource_types: [iam_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.5"]
#     cis-aws-foundations-v5.0: ["1.4"]
#     aws-foundational-security-best-practices: ["IAM.9"]
#   remediation: >-
#     Sign in as the root user and assign it an MFA device (Security credentials, Multi-factor
#     authentication), preferably a hardware one.
#   examples:
#     good:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
#     bad:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: false, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
package aws.iam.root_mfa

import rego.v1

deny contains result if {
	some key, account in input.resources.iam_account
	account.root_mfa_enabled == false
	result := {"resource": key, "message": "the root user has no MFA device"}
}
