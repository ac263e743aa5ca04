# METADATA
# title: Network ACL allows all traffic from the internet
# description: >-
#   An allow-all rule from 0.0.0.0/0 or ::/0 makes the network ACL no barrier at all: only security groups
#   stand between the internet and the subnet. The default ACL of every VPC starts this way.
# custom:
#   id: CF-AWS-VPC-003
#   severity: low
#   category: security
#   resource_types: [network_acl]
#   frameworks:
#     aws-foundational-security-best-practices: ["EC2.21"]
#   remediation: >-
#     Replace the allow-all rule with rules for the ports the subnet serves, or add lower-numbered deny rules
#     for what it must not (Terraform: aws_network_acl / aws_default_network_acl ingress blocks).
#   examples:
#     good:
#       network_acl: {id: acl-0a1b2c3d, vpc_id: vpc-0a1b2c3d, is_default: false, ingress: [
#         {rule_number: 100, action: allow, protocol: tcp, from_port: 443, to_port: 443, ipv4_ranges: [0.0.0.0/0],
#         ipv6_ranges: [], internet_sources: [0.0.0.0/0]}, {rule_number: 110, action: allow, protocol: tcp,
#         from_port: 22, to_port: 22, ipv4_ranges: [10.0.0.0/8], ipv6_ranges: [], internet_sources: []}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
#     bad:
#       network_acl: {id: acl-0a1b2c3d, vpc_id: vpc-0a1b2c3d, is_default: true, ingress: [
#         {rule_number: 100, action: allow, protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [],
#         ipv6_ranges: ['::/0'], internet_sources: ['::/0']}], tags: {}}
package aws.vpc.acl_all_ports

import data.lib.network
import rego.v1

deny contains result if {
	some key, acl in input.resources.network_acl
	rules := network.all_ports_acl_ingress(acl)
	count(rules) > 0
	result := {"resource": key, "message": sprintf("all ports open to the internet: %s", [concat("; ", sort(rules))])}
}
