# METADATA
# title: CloudTrail trail is not encrypted with a KMS key
# description: >-
#   With a KMS key, reading the logs needs both S3 and key permissions, and every decryption is
#   itself logged; S3's own encryption grants reading to whoever may read the bucket.
# custom:
#   id: CF-AWS-CT-003
#   severity: medium
#   category: security
#   resource_types: [cloudtrail_trail]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.5"]
#     cis-aws-foundations-v5.0: ["3.5"]
#     aws-foundational-security-best-practices: ["CloudTrail.2"]
#   remediation: >-
#     Encrypt the trail with a customer managed KMS key whose policy lets CloudTrail use it (aws
#     cloudtrail update-trail --kms-key-id; Terraform: aws_cloudtrail kms_key_id).
#   examples:
#     good:
#       cloudtrail_trail: {name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management',
#         multi_region: true, logging: true, log_file_validation: true,
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: true, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: null, cloudwatch_logs_integrated: false, metric_filters: [], tags: {team: security}}
#     bad:
#       cloudtrail_trail: {name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management',
#         multi_region: true, logging: true, log_file_validation: true,
#         kms_key_id: null, kms_encrypted: false, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: true, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: null, cloudwatch_logs_integrated: false, metric_filters: [], tags: {team: security}}
package aws.cloudtrail.kms_encryption

import rego.v1

deny contains result if {
	some key, trail in input.resources.cloudtrail_trail
	trail.kms_encrypted == false
	result := {"resource": key, "message": "no KMS key encrypts the log files"}
}
