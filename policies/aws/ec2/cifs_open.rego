# METADATA
# title: Security group allows CIFS/SMB from the internet
# description: >-
#   Port 445 open to 0.0.0.0/0 or ::/0 exposes Windows file sharing, the door of worms such as
#   WannaCry and of credential relay attacks.
# custom:
#   id: CF-AWS-EC2-021
#   severity: high
#   category: security
#   resource_types: [security_group]
#   frameworks:
#     cis-aws-foundations-v5.0: ["5.1.2"]
#   remediation: >-
#     Remove the rule, or restrict its source to the networks that mount the share (a VPN or a
#     private range); reach file shares through a VPN or AWS Direct Connect.
#   examples:
#     good:
#       security_group: {id: sg-0a1b2c3d, name: files, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 445, to_port: 445, ipv4_ranges: [10.0.0.0/8], ipv6_ranges: [],
#         internet_sources: []}], egress: [], tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       security_group: {id: sg-0a1b2c3d, name: files, vpc_id: vpc-0a1b2c3d, is_default: false,
#         ingress: [{protocol: tcp, from_port: 445, to_port: 445, ipv4_ranges: [0.0.0.0/0], ipv6_ranges: [],
#         internet_sources: [0.0.0.0/0]}], egress: [], tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.cifs_open

import data.lib.network
import rego.v1

deny contains result if {
	some key, group in input.resources.security_group
	rules := network.open_ingress(group, network.tcp_udp, 445)
	count(rules) > 0
	result := {"resource": key, "message": sprintf("CIFS/SMB (445) open to the internet: %s", [concat("; ", rules)])}
}
