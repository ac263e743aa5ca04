# METADATA
# title: Security group allows SSH from the internet
# description: >-
#   Port 22 open to 0.0.0.0/0 or ::/0 exposes every attached instance to password guessing and
#   exploits of the SSH daemon.
# custom:
#   id: CF-AWS-EC2-001
#   severity: high
#   category: security
#   resource_types: [security_group]
#   frameworks:
#     cis-aws-foundations-v3.0: ["5.2", "5.3"]
#     aws-foundational-security-best-practices: ["EC2.13"]
#   remediation: >-
#     Remove the rule, or restrict its source to known address ranges. Prefer AWS Systems Manager
#     Session Manager or EC2 Instance Connect Endpoint, which need no inbound port.
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
#         ingress: [{protocol: tcp, from_port: 22, to_port: 22, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: ['::/0'], internet_sources: [0.0.0.0/0,
#         '::/0']}], egress: [{protocol: all, from_port: 0, to_port: 65535,
#         ipv4_ranges: [0.0.0.0/0], ipv6_ranges: [], internet_sources: [
#         0.0.0.0/0]}], tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.ssh_open

import data.lib.network
import rego.v1

deny contains result if {
	some key, group in input.resources.security_group
	rules := network.open_ingress(group, network.tcp, 22)
	count(rules) > 0
	result := {"resource": key, "message": sprintf("SSH (22/tcp) open to the internet: %s", [concat("; ", rules)])}
}
