# METADATA
# title: The root user has no hardware MFA device
# description: >-
#   A virtual MFA device lives on a phone or laptop that may be lost, shared or compromised; the root
#   user deserves a hardware device kept apart. Virtual root devices have the serial
#   arn:aws:iam::<account>:mfa/root-account-mfa-device.
# custom:
#   id: CF-AWS-IAM-010
#   severity: high
#   category: security
#   resource_types: [iam_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.6"]
#     cis-aws-foundations-v5.0: ["1.5"]
#     aws-foundational-security-best-practices: ["IAM.6"]
#   remediation: >-
#     Sign in as the root user, deactivate the virtual MFA device and assign a hardware TOTP token or
#     FIDO security key.
#   examples:
#     good:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: false,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
#     bad:
#       iam_account: {root_access_keys_present: false, root_mfa_enabled: true, root_virtual_mfa: true,
#         root_credentials_reported: true, root_last_used_at: '2025-01-10T00:00:00Z', support_roles: [support]}
package aws.iam.root_hardware_mfa

import rego.v1

deny contains result if {
	some key, account in input.resources.iam_account
	account.root_mfa_enabled == true
	account.root_virtual_mfa == true
	result := {"resource": key, "message": "the root user's MFA device is a virtual one"}
}

deny contains result if {
	some key, account in input.resources.iam_account
	account.root_mfa_enabled == false
	result := {"resource": key, "message": "the root user has no MFA device"}
}
