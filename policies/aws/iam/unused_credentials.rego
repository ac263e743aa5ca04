# METADATA
# title: IAM credentials unused for 45 days or more
# description: >-
#   A console password or an active access key nobody has used for 45 days is a standing risk with
#   no benefit; credentials never used count from their creation.
# custom:
#   id: CF-AWS-IAM-003
#   severity: medium
#   category: security
#   resource_types: [iam_user]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.12"]
#     cis-aws-foundations-v5.0: ["1.11"]
#     aws-foundational-security-best-practices: ["IAM.22"]
#   remediation: >-
#     Deactivate or delete the unused access keys and remove the unused console password
#     (aws iam delete-login-profile); re-create them if someone turns out to need them.
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
#         password_enabled: true, password_last_used_at: '2025-01-01T00:00:00Z',
#         mfa_enabled: true, access_keys: [{id: AKIAEXAMPLE1, active: true,
#         created_at: '2025-04-01T00:00:00Z', last_used_at: '2025-05-30T00:00:00Z'}],
#         attached_policies: [], inline_policies: [], tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.iam.unused_credentials

import data.lib.dates
import rego.v1

max_idle_days := 45

deny contains result if {
	some key, user in input.resources.iam_user
	idle := {sprintf("%s unused for %d days", [credential.name, days]) |
		some credential in credentials(user)
		days := dates.days_since(credential.last_activity)
		days >= max_idle_days
	}
	count(idle) > 0
	result := {"resource": key, "message": concat(", ", idle)}
}

credentials(user) := array.concat(password, keys) if {
	password := [{"name": "console password", "last_activity": dates.last_activity(user.password_last_used_at, user.created_at)} |
		user.password_enabled == true
	]
	keys := [{"name": sprintf("access key %v", [k.id]), "last_activity": dates.last_activity(k.last_used_at, k.created_at)} |
		some k in user.access_keys
		k.active == true
	]
}
