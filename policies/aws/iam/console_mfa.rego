# METADATA
# title: IAM user with a console password has no MFA
# description: >-
#   A console password alone falls to phishing and reuse; every user who can sign in to the console
#   needs a second factor.
# custom:
#   id: CF-AWS-IAM-001
#   severity: high
#   category: security
#   resource_types: [iam_user]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.10"]
#     cis-aws-foundations-v5.0: ["1.9"]
#     aws-foundational-security-best-practices: ["IAM.5"]
#   remediation: >-
#     Have the user register an MFA device (a passkey or security key preferably), or remove the
#     console password if the user does not sign in; enforce with an IAM policy that denies actions
#     without aws:MultiFactorAuthPresent.
#   examples:
#     good:
#       iam_user: {name: alice, arn: 'arn:aws:iam::123456789012:user/alice', created_at: '2025-01-01T00:00:00Z',
#         password_enabled: true, password_last_used_at: '2025-05-20T00:00:00Z',
#         mfa_enabled: true, access_keys: [{id: AKIAEXAMPLE1, active: true,
#         created_at: '2025-04-01T00:00:00Z', last_used_at: '2025-05-30T00:00:00Z'}],
#         attached_policies: [], inline_policies: [], tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       iam_user: {name: alice, arn: 'arn:aws:iam::123456789012:user/alice', created_at: '2025-01-01T00:00:00Z',
#         password_enabled: true, password_last_used_at: '2025-05-20T00:00:00Z',
#         mfa_enabled: false, access_keys: [{id: AKIAEXAMPLE1, active: true,
#         created_at: '2025-04-01T00:00:00Z', last_used_at: '2025-05-30T00:00:00Z'}],
#         attached_policies: [], inline_policies: [], tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.iam.console_mfa

import rego.v1

deny contains result if {
	some key, user in input.resources.iam_user
	user.password_enabled == true
	user.mfa_enabled == false
	result := {"resource": key, "message": "console password without MFA"}
}
