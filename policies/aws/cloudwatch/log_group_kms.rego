# METADATA
# title: CloudWatch log group is not encrypted with a KMS key
# description: >-
#   Logs often carry request details, identifiers and secrets by mistake. A customer managed KMS key
#   lets you decide who may read them and revoke it; CloudWatch Logs' own encryption does not.
# custom:
#   id: CF-AWS-CW-001
#   severity: medium
#   category: security
#   resource_types: [cloudwatch_log_group]
#   frameworks: {}
#   remediation: >-
#     Associate a KMS key whose policy allows the logs service principal (aws logs associate-kms-key;
#     Terraform: aws_cloudwatch_log_group kms_key_id).
#   examples:
#     good:
#       cloudwatch_log_group: {name: /app/api, arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/app/api',
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, retention_days: 365,
#         tags: {team: data}}
#     bad:
#       cloudwatch_log_group: {name: /app/api, arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/app/api',
#         kms_key_id: null, kms_encrypted: false, retention_days: 365, tags: {team: data}}
package aws.cloudwatch.log_group_kms

import rego.v1

deny contains result if {
	some key, group in input.resources.cloudwatch_log_group
	group.kms_encrypted == false
	result := {"resource": key, "message": "no KMS key encrypts the log group"}
}
