# METADATA
# title: No alarm on route table changes
# description: >-
#   A changed route sends traffic somewhere else, past inspection or out of the network.
#   CIS asks for a metric filter on the CloudWatch Logs log group of the trail, a CloudWatch alarm on
#   its metric and someone subscribed to the alarm's SNS topic; a trail without the log group fails.
# custom:
#   id: CF-AWS-CW-015
#   severity: medium
#   category: security
#   resource_types: [cloudtrail_trail]
#   frameworks:
#     cis-aws-foundations-v3.0: ["4.13"]
#     cis-aws-foundations-v5.0: ["4.13"]
#   remediation: >-
#     Send the trail to a CloudWatch Logs log group (aws cloudtrail update-trail
#     --cloud-watch-logs-log-group-arn), add a metric filter with the CIS pattern for route table changes
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
#         metric_filters: [{name: route-table-changes, pattern: '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }',
#           alarmed: true, subscribed: true}], tags: {team: security}}
#     bad:
#       cloudtrail_trail: {name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management',
#         multi_region: true, logging: true, log_file_validation: true,
#         kms_key_id: 'arn:aws:kms:eu-west-1:111122223333:key/k-1', kms_encrypted: true, s3_bucket_name: acme-trail,
#         s3_bucket_access_logging: true, management_events: All, s3_object_events: null,
#         cloudwatch_logs_log_group_arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:cloudtrail:*',
#         cloudwatch_logs_integrated: true,
#         metric_filters: [{name: route-table-changes, pattern: '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }',
#           alarmed: true, subscribed: false}], tags: {team: security}}
package aws.cloudwatch.alarm_route_table_changes

import data.lib.monitoring
import rego.v1

# the clauses the filter pattern must have, [field, operator, value] (data.lib.monitoring)
clauses := [
	["eventName", "=", "CreateRoute"],
	["eventName", "=", "CreateRouteTable"],
	["eventName", "=", "ReplaceRoute"],
	["eventName", "=", "ReplaceRouteTableAssociation"],
	["eventName", "=", "DeleteRouteTable"],
	["eventName", "=", "DeleteRoute"],
	["eventName", "=", "DisassociateRouteTable"],
]

deny contains result if {
	some result in monitoring.denials(input.resources.cloudtrail_trail, clauses, "route table changes")
}
