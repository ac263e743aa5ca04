# METADATA
# title: Security group allows all outbound traffic to the internet
# description: >-
#   A group that lets every protocol and port out to 0.0.0.0/0 or ::/0 (AWS's default egress
#   rule) leaves nothing to stop a compromised instance from exfiltrating data or reaching a command
#   and control server.
# custom:
#   id: CF-AWS-EC2-020
#   severity: low
#   category: security
#   resource_types: [security_group]
#   frameworks: {}
#   remediation: >-
#     Replace the default egress rule with rules for the destinations and ports the workload
#     needs (Terraform: egress blocks or aws_vpc_security_group_egress_rule).
#   examples:
#     good:
#       security_group: {id: sg-0a1b2c3d, name: web, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [0.0.0.0/0], ipv6_ranges: [],
#         internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [10.0.0.0/8],
#         ipv6_ranges: [], internet_sources: []}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       security_group: {id: sg-0a1b2c3d, name: web, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [0.0.0.0/0], ipv6_ranges: [],
#         internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [0.0.0.0/0],
#         ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.egress_open

import data.lib.network
import rego.v1

deny contains result if {
	some key, group in input.resources.security_group
	rules := {network.describe(rule) |
		some rule in group.egress
		count(rule.internet_sources) > 0
		rule.protocol == "all"
	}
	count(rules) > 0
	result := {"resource": key, "message": sprintf("all traffic open to the internet: %s", [concat("; ", rules)])}
}
