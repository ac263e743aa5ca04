# METADATA
# title: GuardDuty is not enabled in the region
# description: >-
#   GuardDuty watches CloudTrail, VPC flow logs and DNS queries for compromised credentials, crypto
#   mining and exfiltration; a region without an enabled detector goes unwatched.
# custom:
#   id: CF-AWS-GUARDDUTY-001
#   severity: high
#   category: security
#   resource_types: [guardduty_detector]
#   frameworks:
#     aws-foundational-security-best-practices: ["GuardDuty.1"]
#   remediation: >-
#     Create and enable a detector in every region, ideally from the organization's delegated administrator
#     (aws guardduty create-detector --enable; Terraform: aws_guardduty_detector with enable = true).
#   examples:
#     good:
#       guardduty_detector: {exists: true, enabled: true}
#     bad:
#       guardduty_detector: {exists: false, enabled: null}
package aws.guardduty.enabled

import rego.v1

deny contains result if {
	some key, detector in input.resources.guardduty_detector
	detector.exists == false
	result := {"resource": key, "message": "no GuardDuty detector in the region"}
}

deny contains result if {
	some key, detector in input.resources.guardduty_detector
	detector.enabled == false
	result := {"resource": key, "message": "the GuardDuty detector is suspended"}
}
