# METADATA
# title: CloudWatch log group keeps events for less than 365 days
# description: >-
#   Investigations and audits reach back months; events deleted after a short retention cannot
#   answer them. A group whose events never expire keeps them.
# custom:
#   id: CF-AWS-CW-002
#   severity: low
#   category: security
#   resource_types: [cloudwatch_log_group]
#   frameworks:
#     aws-foundational-security-best-practices: ["CloudWatch.16"]
#   remediation: >-
#     Keep events 365 days or more (aws logs put-retention-policy --retention-in-days 365; Terraform:
#     aws_cloudwatch_log_group retention_in_days = 365, or 0 to never expire them).
#   examples:
#     good:
#       cloudwatch_log_group: {name: /app/api, arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/app/api',
#         kms_key_id: null, kms_encrypted: false, retention_days: 400, tags: {team: data}}
#     bad:
#       cloudwatch_log_group: {name: /app/api, arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/app/api',
#         kms_key_id: null, kms_encrypted: false, retention_days: 30, tags: {team: data}}
package aws.cloudwatch.log_group_retention

import rego.v1

minimum := 365

deny contains result if {
	some key, group in input.resources.cloudwatch_log_group
	is_number(group.retention_days)
	group.retention_days > 0 # 0: events never expire
	group.retention_days < minimum
	result := {"resource": key, "message": sprintf("events are kept %d days", [group.retention_days])}
}
