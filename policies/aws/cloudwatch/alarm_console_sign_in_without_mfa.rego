# METADATA
# title: No alarm on console sign-in without MFA
# description: >-
#   A console sign-in without MFA is either a user MFA should protect or a password someone else has; each one deserves a look.
#   CIS asks for a metric filter on the CloudWatch Logs log group of the trail, a CloudWatch alarm on
#   its metric and someone subscribed to the alarm's SNS topic; a trail without the log group fails.
# custom:
#   id: CF-AWS-CW-004
#   severity: medium
#   category: security
#   resource_types: [cloudtrail_trail]
#   frameworks:
#     cis-aws-foundations-v3.0: ["4.2"]
#     cis-aws-foundations-v5.0: ["4.2"]
#   remediation: >-
#     Send the trail to a CloudWatch Logs log group (aws cloudtrail update-trail
#     --cloud-watch-logs-log-group-arn), add a metric filter with the CIS pattern for console sign-in without MFA
#     (aws logs put-metric-filter), an alarm on its metric (aws cloudwatch put-metric-alarm) and a confirmed
#     subscription to the alarm's SNS topic (Terraform: aws_cloudwatch_log_metric_filter,
#     aws_cloudwatch_metric_alarm, aws_sns_topic_subscription).
#   examples:
#     good:
#       cloudtrail_trail: {name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management',
#         multi_region: true, logging: true, log_file_validation: true,
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: true, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:cloudtrail:*',
#         cloudwatch_logs_integrated: true,
#         metric_filters: [{name: console-sign-in-without-mfa, pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
#           alarmed: true, subscribed: true}], tags: {team: security}}
#     bad:
#       cloudtrail_trail: {name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management',
#         multi_region: true, logging: true, log_file_validation: true,
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: true, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:cloudtrail:*',
#         cloudwatch_logs_integrated: true,
#         metric_filters: [{name: console-sign-in-without-mfa, pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
#           alarmed: true, subscribed: false}], tags: {team: security}}
package aws.cloudwatch.alarm_console_sign_in_without_mfa

import data.lib.monitoring
import rego.v1

# the clauses the filter pattern must have, [field, operator, value] (data.lib.monitoring)
clauses := [
	["eventName", "=", "ConsoleLogin"],
	["additionalEventData.MFAUsed", "!=", "Yes"],
]

deny contains result if {
	some result in monitoring.denials(input.resources.cloudtrail_trail, clauses, "console sign-in without MFA")
}
