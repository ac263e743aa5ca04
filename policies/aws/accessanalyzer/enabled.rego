# METADATA
# title: IAM Access Analyzer has no active external access analyzer in the region
# description: >-
#   An external access analyzer finds the buckets, keys, roles and queues shared outside the account or
#   organization, the grants an intruder leaves behind. Analyzers are regional, so every region needs one;
#   an unused-access analyzer does not look at external sharing.
# custom:
#   id: CF-AWS-IAM-017
#   severity: medium
#   category: security
#   resource_types: [access_analyzer]
#   frameworks:
#     cis-aws-foundations-v3.0: ["1.20"]
#     cis-aws-foundations-v5.0: ["1.19"]
#   remediation: >-
#     Create an analyzer of type ACCOUNT (or ORGANIZATION from the delegated administrator) in every
#     region (aws accessanalyzer create-analyzer --type ACCOUNT; Terraform: aws_accessanalyzer_analyzer).
#   examples:
#     good:
#       access_analyzer: {analyzers: [{name: external, arn: 'arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/external',
#         type: ACCOUNT, status: ACTIVE}]}
#     bad:
#       access_analyzer: {analyzers: [{name: unused, arn: 'arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/unused',
#         type: ACCOUNT_UNUSED_ACCESS, status: ACTIVE}]}
package aws.accessanalyzer.enabled

import rego.v1

external := {"ACCOUNT", "ORGANIZATION"}

deny contains result if {
	some key, region in input.resources.access_analyzer
	not active_external(region)
	result := {"resource": key, "message": message(region)}
}

active_external(region) if {
	some analyzer in region.analyzers
	analyzer.type in external
	analyzer.status == "ACTIVE"
}

message(region) := "no IAM Access Analyzer analyzer in the region" if {
	count(region.analyzers) == 0
} else := sprintf("no active external access analyzer in the region (has %s)", [concat(", ", sort([sprintf("%s: %s %s", [a.name, a.type, a.status]) | some a in region.analyzers]))])
