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
#   examples:
#     good:
#       security_group: {id: sg-0a1b2c3d, name: default, vpc_id: vpc-0a1b2c3d, is_default: true,
#         ingress: [], egress: [], tags: {team: data, project: lake, env: prod,
#         owner: alice}}
#     bad:
#       security_group: {id: sg-0a1b2c3d, name: default, vpc_id: vpc-0a1b2c3d, is_default: true,
#         ingress: [{protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
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
