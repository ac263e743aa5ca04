# METADATA
# title: Attached IAM policy allows every action on every resource
# description: >-
#   A customer-managed policy granting "*" on "*" makes whoever holds it an administrator; least
#   privilege starts with granting only the actions needed. A policy attached to nobody is not judged
#   in the inventory; in a plan, where attachments are resources of their own, every policy is.
# custom:
#   id: CF-AWS-IAM-015
#   severity: high
#   category: security
#   resource_types: [iam_policy]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.16"]
#     cis-aws-foundations-v5.0: ["1.15"]
#     aws-foundational-security-best-practices: ["IAM.1"]
#   remediation: >-
#     Replace the "*" action with the actions the holders need (IAM Access Analyzer can generate a policy
#     from CloudTrail activity), or detach the policy.
#   examples:
#     good:
#       iam_policy: {name: reports, arn: 'arn:aws:iam::123456789012:policy/reports', attachment_count: 1,
#         statements: [{effect: Allow, actions: ['s3:GetObject'], resources: ['*']}], tags: {team: data}}
#     bad:
#       iam_policy: {name: reports, arn: 'arn:aws:iam::123456789012:policy/reports', attachment_count: 1,
#         statements: [{effect: Allow, actions: ['*'], resources: ['*']}], tags: {team: data}}
package aws.iam.admin_policy

import rego.v1

deny contains result if {
	some key, policy in input.resources.iam_policy
	policy.attachment_count != 0
	some statement in policy.statements
	statement.effect == "Allow"
	"*" in statement.actions
	"*" in statement.resources
	result := {"resource": key, "message": "allows every action (*) on every resource (*)"}
}
