# METADATA
# title: Network ACL allows SSH or RDP from the internet
# description: >-
#   A network ACL that lets 0.0.0.0/0 or ::/0 reach port 22 or 3389 leaves every subnet behind it one
#   security group mistake away from remote administration by anyone.
# custom:
#   id: CF-AWS-VPC-002
#   severity: medium
#   category: security
#   resource_types: [network_acl]
#   frameworks:
#     cis-aws-foundations-v3.0: ["5.1"]
#     cis-aws-foundations-v5.0: ["5.2"]
#     aws-foundational-security-best-practices: ["EC2.21"]
#   remediation: >-
#     Add a deny rule for 22 and 3389 from 0.0.0.0/0 and ::/0 numbered below the allow rules, or narrow the
#     allow rules to known ranges (Terraform: aws_network_acl_rule with rule_action = "deny").
#   examples:
#     good:
#       network_acl: {id: acl-0a1b2c3d, vpc_id: vpc-0a1b2c3d, is_default: false, ingress: [
#         {rule_number: 100, action: allow, protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [0.0.0.0/0],
#         ipv6_ranges: [], internet_sources: [0.0.0.0/0]}, {rule_number: 110, action: allow, protocol: tcp,
#         from_port: 22, to_port: 22, ipv4_ranges: [10.0.0.0/8], ipv6_ranges: [], internet_sources: []}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       network_acl: {id: acl-0a1b2c3d, vpc_id: vpc-0a1b2c3d, is_default: true, ingress: [
#         {rule_number: 100, action: allow, protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [0.0.0.0/0],
#         ipv6_ranges: [], internet_sources: [0.0.0.0/0]}, {rule_number: 32767, action: deny, protocol: all,
#         from_port: 0, to_port: 65535, ipv4_ranges: [0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {}}
package aws.vpc.acl_admin_ports

import data.lib.network
import rego.v1

admin_ports := {22: "SSH", 3389: "RDP"}

deny contains result if {
	some key, acl in input.resources.network_acl
	exposed := [sprintf("%s (%d) by %s", [name, port, concat("; ", sort(rules))]) |
		some port, name in admin_ports
		rules := network.open_acl_ingress(acl, network.tcp, port)
		count(rules) > 0
	]
	count(exposed) > 0
	result := {"resource": key, "message": sprintf("the internet may reach %s", [concat(", ", sort(exposed))])}
}
