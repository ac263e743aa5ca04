# METADATA
# title: IAM role can be assumed by any AWS principal
# description: >-
#   A trust policy that allows Principal "*" (or AWS "*") without a condition lets any AWS account in
#   the world assume the role and act with its permissions.
# custom:
#   id: CF-AWS-IAM-005
#   severity: critical
#   category: security
#   resource_types: [iam_role]
#   frameworks: {}
#   remediation: >-
#     Name the trusted accounts or roles in the Principal, or add a condition such as aws:PrincipalOrgID
#     or sts:ExternalId.
#   examples:
#     good:
#       iam_role: {name: ingest, arn: 'arn:aws:iam::123456789012:role/ingest', path: /,
#         created_at: '2025-01-01T00:00:00Z', trust_statements: [{effect: Allow,
#         principals: {Service: [lambda.amazonaws.com]}, actions: ['sts:AssumeRole'],
#         has_condition: false}], tags: {team: data, project: lake, env: prod,
#         owner: alice}}
#     bad:
#       iam_role: {name: ingest, arn: 'arn:aws:iam::123456789012:role/ingest', path: /,
#         created_at: '2025-01-01T00:00:00Z', trust_statements: [{effect: Allow,
#         principals: {AWS: ['*']}, actions: ['sts:AssumeRole'], has_condition: false}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.iam.role_trust_public

import rego.v1

deny contains result if {
	some key, role in input.resources.iam_role
	open := [statement |
		some statement in role.trust_statements
		statement.effect == "Allow"
		"*" in statement.principals.AWS
		not statement.has_condition
	]
	count(open) > 0
	result := {"resource": key, "message": "trust policy allows any AWS principal without a condition"}
}
