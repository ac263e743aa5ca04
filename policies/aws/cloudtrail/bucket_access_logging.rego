# METADATA
# title: CloudTrail trail delivers to a bucket without server access logging
# description: >-
#   Access logs of the trail's bucket show who read, changed or deleted the audit trail itself.
# custom:
#   id: CF-AWS-CT-002
#   severity: low
#   category: security
#   resource_types: [cloudtrail_trail]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.4"]
#   remediation: >-
#     Enable server access logging on the trail's bucket, into another bucket (aws s3api
#     put-bucket-logging; Terraform: aws_s3_bucket_logging).
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
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: false, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: null, cloudwatch_logs_integrated: false, metric_filters: [], tags: {team: security}}
package aws.cloudtrail.bucket_access_logging

import rego.v1

deny contains result if {
	some key, trail in input.resources.cloudtrail_trail
	trail.s3_bucket_access_logging == false
	result := {"resource": key, "message": sprintf("its bucket %s has no server access logging", [trail.s3_bucket_name])}
}
