# METADATA
# title: AWS Security Hub is not enabled in the region
# description: >-
#   Security Hub gathers the findings of GuardDuty, Inspector, Config and others and checks the account
#   against the security standards; a region without it has no such overview.
# custom:
#   id: CF-AWS-SECURITYHUB-001
#   severity: medium
#   category: security
#   resource_types: [security_hub]
#   frameworks:
#     cis-aws-foundations-v3.0: ["4.16"]
#     cis-aws-foundations-v5.0: ["4.16"]
#   remediation: >-
#     Enable Security Hub in every region, ideally from the organization's delegated administrator
#     (aws securityhub enable-security-hub; Terraform: aws_securityhub_account).
#   examples:
#     good:
#       security_hub: {enabled: true, auto_enable_controls: true}
#     bad:
#       security_hub: {enabled: false, auto_enable_controls: null}
package aws.securityhub.enabled

import rego.v1

deny contains result if {
	some key, hub in input.resources.security_hub
	hub.enabled == false
	result := {"resource": key, "message": "Security Hub is not enabled in the region"}
}
