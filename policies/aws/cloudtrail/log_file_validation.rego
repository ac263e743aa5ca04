# METADATA
# title: CloudTrail trail does not validate its log files
# description: >-
#   Without digest files nobody can prove that a log file was not altered or deleted after delivery,
#   which an intruder covering tracks would do.
# custom:
#   id: CF-AWS-CT-001
#   severity: medium
#   category: security
#   resource_types: [cloudtrail_trail]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.2"]
#     cis-aws-foundations-v5.0: ["3.2"]
#     aws-foundational-security-best-practices: ["CloudTrail.4"]
#   remediation: >-
#     Enable log file validation (aws cloudtrail update-trail --enable-log-file-validation; Terraform:
#     aws_cloudtrail enable_log_file_validation = true).
#   examples:
#     good:
#       cloudtrail_trail: {name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management',
#         multi_region: true, logging: true, log_file_validation: true,
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: true, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: null, cloudwatch_logs_integrated: false, metric_filters: [], tags: {team: security}}
#     bad:
#       cloudtrail_trail: {name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management',
#         multi_region: true, logging: true, log_file_validation: false,
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: true, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: null, cloudwatch_logs_integrated: false, metric_filters: [], tags: {team: security}}
package aws.cloudtrail.log_file_validation

import rego.v1

deny contains result if {
	some key, trail in input.resources.cloudtrail_trail
	trail.log_file_validation == false
	result := {"resource": key, "message": "log file validation is not enabled"}
}
