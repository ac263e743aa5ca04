# METADATA
# title: EBS encryption by default is off in the region
# description: >-
#   With encryption by default every new volume and snapshot copy is encrypted whatever its creator
#   asks; without it one forgotten flag leaves data readable on the storage.
# custom:
#   id: CF-AWS-EC2-022
#   severity: medium
#   category: security
#   resource_types: [ebs_encryption_by_default]
#   frameworks:
#     cis-aws-foundations-v3.0: ["2.2.1"]
#     cis-aws-foundations-v5.0: ["5.1.1"]
#     aws-foundational-security-best-practices: ["EC2.7"]
#   remediation: >-
#     Turn it on in every region (aws ec2 enable-ebs-encryption-by-default --region REGION; Terraform:
#     aws_ebs_encryption_by_default with enabled = true, in a provider per region).
#   examples:
#     good:
#       ebs_encryption_by_default: {enabled: true}
#     bad:
#       ebs_encryption_by_default: {enabled: false}
package aws.ec2.ebs_default_encryption

import rego.v1

deny contains result if {
	some key, setting in input.resources.ebs_encryption_by_default
	setting.enabled == false
	result := {"resource": key, "message": "new EBS volumes in this region are not encrypted unless asked"}
}
