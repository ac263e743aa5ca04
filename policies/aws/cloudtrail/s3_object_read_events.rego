# METADATA
# title: No multi-region CloudTrail trail records S3 object-level read events
# description: >-
#   Object-level read calls (GetObject) are data events, which trails do not record by default: without
#   them nobody can tell who read which object. Judged per account over its multi-region
#   trails: one logging trail recording read events of every bucket is enough.
# custom:
#   id: CF-AWS-CT-006
#   severity: low
#   category: security
#   resource_types: [cloudtrail_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.9"]
#     cis-aws-foundations-v5.0: ["3.9"]
#   remediation: >-
#     Add an event selector for the data events of every bucket to a multi-region trail (aws cloudtrail
#     put-event-selectors with DataResources Type AWS::S3::Object, Values ["arn:aws:s3"], ReadWriteType
#     ReadOnly or All; Terraform: aws_cloudtrail event_selector with a data_resource block).
#   examples:
#     good:
#       cloudtrail_account: {multi_region_trails: [{name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management', home_region: eu-west-1, logging: true,
#         management_events: All, s3_object_events: ReadOnly}]}
#     bad:
#       cloudtrail_account: {multi_region_trails: [{name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management', home_region: eu-west-1, logging: true,
#         management_events: All, s3_object_events: WriteOnly}]}
package aws.cloudtrail.s3_object_read_events

import data.lib.cloudtrail
import rego.v1

deny contains result if {
	some key, account in input.resources.cloudtrail_account
	not cloudtrail.recorded(account, "s3_object_events", {"All", "ReadOnly"})
	result := {"resource": key, "message": cloudtrail.shortfall(account, "S3 object-level read events of every bucket")}
}
