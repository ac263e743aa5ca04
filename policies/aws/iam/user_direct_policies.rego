# METADATA
# title: IAM user has policies of its own
# description: >-
#   Permissions given to users one by one drift apart and are hard to review or revoke; users should
#   get them only through the groups they belong to.
# custom:
#   id: CF-AWS-IAM-013
#   severity: low
#   category: security
#   resource_types: [iam_user]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.15"]
#     cis-aws-foundations-v5.0: ["1.14"]
#     aws-foundational-security-best-practices: ["IAM.2"]
#   remediation: >-
#     Put the user in a group that has the permissions, then detach the user's managed policies
#     (aws iam detach-user-policy) and delete its inline ones (aws iam delete-user-policy).
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
#         mfa_enabled: true, access_keys: [{id: AKIAEXAMPLE1, active: true,
#         created_at: '2025-04-01T00:00:00Z', last_used_at: '2025-05-30T00:00:00Z'}],
#         attached_policies: ['arn:aws:iam::123456789012:policy/reports'], inline_policies: [], tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.iam.user_direct_policies

import rego.v1

deny contains result if {
	some key, user in input.resources.iam_user
	attached := count(user.attached_policies)
	inline := count(user.inline_policies)
	attached + inline > 0
	result := {"resource": key, "message": sprintf("%d managed and %d inline policies given to the user directly", [attached, inline])}
}
