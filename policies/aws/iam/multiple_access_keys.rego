# METADATA
# title: IAM user has more than one active access key
# description: >-
#   Two active keys are only needed during a rotation; a second key left active doubles what can
#   leak and hides which one is really in use.
# custom:
#   id: CF-AWS-IAM-004
#   severity: low
#   category: security
#   resource_types: [iam_user]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.13"]
#     cis-aws-foundations-v5.0: ["1.12"]
#   remediation: >-
#     Finish the rotation: deactivate, then delete, the key that is no longer used.
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
#         created_at: '2025-04-01T00:00:00Z', last_used_at: '2025-05-30T00:00:00Z'},
#         {id: AKIAEXAMPLE2, active: true, created_at: '2025-05-01T00:00:00Z',
#         last_used_at: null}], attached_policies: [], inline_policies: [], tags: {team: data, project: lake, env: prod,
#         owner: alice}}
package aws.iam.multiple_access_keys

import rego.v1

deny contains result if {
	some key, user in input.resources.iam_user
	active := [k | some k in user.access_keys; k.active == true]
	count(active) > 1
	result := {"resource": key, "message": sprintf("%d active access keys", [count(active)])}
}
