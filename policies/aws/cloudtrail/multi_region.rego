# METADATA
# title: No multi-region CloudTrail trail records all management events
# description: >-
#   Without a logging multi-region trail that records every read and write management call, API activity
#   in some region (often one nobody uses, where an intruder would go) leaves no audit record. Judged per
#   account over all its multi-region trails (organization trails included): one such trail is enough.
# custom:
#   id: CF-AWS-CT-004
#   severity: high
#   category: security
#   resource_types: [cloudtrail_account]
#   frameworks:
#     cis-aws-foundations-v3.0: ["3.1"]
#     aws-foundational-security-best-practices: ["CloudTrail.1"]
#   remediation: >-
#     Create a multi-region trail, start logging and keep its default event selector (all management
#     events) or select ReadWriteType All (aws cloudtrail create-trail --is-multi-region-trail, start-logging;
#     Terraform: aws_cloudtrail with is_multi_region_trail = true).
#   examples:
#     good:
#       cloudtrail_account: {multi_region_trails: [{name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management', home_region: eu-west-1, logging: true,
#         management_events: All, s3_object_events: null}]}
#     bad:
#       cloudtrail_account: {multi_region_trails: [{name: management, arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management', home_region: eu-west-1, logging: true,
#         management_events: WriteOnly, s3_object_events: null}]}
package aws.cloudtrail.multi_region

import data.lib.cloudtrail
import rego.v1

deny contains result if {
	some key, account in input.resources.cloudtrail_account
	not cloudtrail.recorded(account, "management_events", {"All"})
	result := {"resource": key, "message": cloudtrail.shortfall(account, "all read and write management events")}
}
