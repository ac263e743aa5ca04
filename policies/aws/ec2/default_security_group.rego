# METADATA
# title: Default security group has rules
# description: >-
#   Resources launched without an explicit security group land in the VPC's default group; with no
#   rules there, forgetting to choose a group fails closed instead of open.
# custom:
#   id: CF-AWS-EC2-003
#   severity: medium
#   category: security
#   resource_types: [security_group]
#   frameworks:
#     cis-aws-foundations-v3.0: ["5.4"]
#     aws-foundational-security-best-practices: ["EC2.2"]
#   remediation: >-
#     Remove every inbound and outbound rule of the default security group (Terraform:
#     aws_default_security_group with no ingress or egress blocks) and give resources their own groups.
package aws.ec2.default_security_group

import rego.v1

deny contains result if {
	some key, group in input.resources.security_group
	group.is_default == true
	count(group.ingress) + count(group.egress) > 0
	result := {"resource": key, "message": sprintf(
		"default security group has %d inbound and %d outbound rules",
		[count(group.ingress), count(group.egress)],
	)}
}
