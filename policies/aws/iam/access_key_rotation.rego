# METADATA
# title: IAM access key is older than 90 days
# description: >-
#   Long-lived access keys leak through laptops, repositories and logs; rotating them at least
#   every 90 days bounds how long a leaked key works.
# custom:
#   id: CF-AWS-IAM-002
#   severity: medium
#   category: security
#   resource_types: [iam_user]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.14"]
#     cis-aws-foundations-v5.0: ["1.13"]
#     aws-foundational-security-best-practices: ["IAM.3"]
#   remediation: >-
#     Create a second key, move the consumers to it, deactivate and then delete the old key; better,
#     replace the key with a role (IAM Identity Center, OIDC federation or an instance profile).
#   examples:
#     now: '2025-06-01T00:00:00Z'
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
#         created_at: '2024-12-01T00:00:00Z', last_used_at: '2025-05-30T00:00:00Z'}],
#         attached_policies: [], inline_policies: [], tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.iam.access_key_rotation

import data.lib.dates
import rego.v1

max_age_days := 90

deny contains result if {
	some key, user in input.resources.iam_user
	old := {sprintf("%v is %d days old", [access_key.id, age]) |
		some access_key in user.access_keys
		access_key.active == true
		age := dates.days_since(access_key.created_at)
		age > max_age_days
	}
	count(old) > 0
	result := {"resource": key, "message": sprintf("active access keys older than %d days: %s", [max_age_days, concat(", ", old)])}
}
