# METADATA
# title: Security group allows RDP from the internet
# description: >-
#   Port 3389 open to 0.0.0.0/0 or ::/0 exposes Windows hosts to credential stuffing and to
#   Remote Desktop exploits.
# custom:
#   id: CF-AWS-EC2-002
#   severity: high
#   category: security
#   resource_types: [security_group]
#   frameworks:
#     cis-aws-foundations-v3.0: ["5.2", "5.3"]
#     aws-foundational-security-best-practices: ["EC2.14"]
#   remediation: >-
#     Remove the rule, or restrict its source to known address ranges; reach Windows hosts through
#     Systems Manager Fleet Manager or a bastion instead.
#   examples:
#     good:
#       security_group: {id: sg-0a1b2c3d, name: web, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       security_group: {id: sg-0a1b2c3d, name: web, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 3389, to_port: 3389, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.rdp_open

import data.lib.network
import rego.v1

deny contains result if {
	some key, group in input.resources.security_group
	rules := network.open_ingress(group, network.tcp_udp, 3389)
	count(rules) > 0
	result := {"resource": key, "message": sprintf("RDP (3389) open to the internet: %s", [concat("; ", rules)])}
}
