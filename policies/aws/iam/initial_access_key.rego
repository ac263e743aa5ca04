# METADATA
# title: Console user has an access key that was never used
# description: >-
#   Access keys made together with a console user "just in case" are standing credentials nobody
#   needs; a console user with an active key never used is the sign of one, as Prowler's
#   iam_user_no_setup_initial_access_key judges it.
# custom:
#   id: CF-AWS-IAM-014
#   severity: medium
#   category: security
#   resource_types: [iam_user]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.11"]
#     cis-aws-foundations-v5.0: ["1.10"]
#   remediation: >-
#     Delete the unused access key (aws iam delete-access-key); create keys only when a user asks for
#     programmatic access, after the user exists.
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
#         created_at: '2025-04-01T00:00:00Z', last_used_at: null}],
#         attached_policies: [], inline_policies: [], tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.iam.initial_access_key

import rego.v1

deny contains result if {
	some key, user in input.resources.iam_user
	user.password_enabled == true
	unused := [k.id | some k in user.access_keys; k.active == true; k.last_used_at == null]
	count(unused) > 0
	result := {"resource": key, "message": sprintf("console user with %d active access keys never used", [count(unused)])}
}
