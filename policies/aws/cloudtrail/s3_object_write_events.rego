# METADATA
# title: No multi-region CloudTrail trail records S3 object-level write events
# description: >-
#   Object-level write calls (PutObject, DeleteObject) are data events, which trails do not record by default: without
#   them nobody can tell who changed or deleted which object. Judged per account over its multi-region
#   trails: one logging trail recording write events of every bucket is enough.
# custom:
#   id: CF-AWS-CT-005
#   severity: medium
#   category: security
#   resource_types: [cloudtrail_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.8"]
#     cis-aws-foundations-v5.0: ["3.8"]
#   remediation: >-
#     Add an event selector for the data events of every bucket to a multi-region trail (aws cloudtrail
#     put-event-selectors with DataResources Type AWS::S3::Object, Values ["arn:aws:s3"], ReadWriteType
#     WriteOnly or All; Terraform: aws_cloudtrail event_selector with a data_resource block).
#   examples:
#     good:
#       cloudtrail_account: {multi_region_trails: [{name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management', home_region: eu-west-1, logging: true,
#         management_events: All, s3_object_events: WriteOnly}]}
#     bad:
#       cloudtrail_account: {multi_region_trails: [{name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management', home_region: eu-west-1, logging: true,
#         management_events: All, s3_object_events: ReadOnly}]}
package aws.cloudtrail.s3_object_write_events

import data.lib.cloudtrail
import rego.v1

deny contains result if {
	some key, account in input.resources.cloudtrail_account
	not cloudtrail.recorded(account, "s3_object_events", {"All", "WriteOnly"})
	result := {"resource": key, "message": cloudtrail.shortfall(account, "S3 object-level write events of every bucket")}
}
