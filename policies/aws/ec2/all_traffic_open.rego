# METADATA
# title: Security group allows all traffic from the internet
# description: >-
#   A rule admitting every port (all protocols, or the whole TCP or UDP range) from 0.0.0.0/0 or
#   ::/0 exposes every service on the attached resources.
# custom:
#   id: CF-AWS-EC2-004
#   severity: critical
#   category: security
#   resource_types: [security_group]
#   frameworks:
#     aws-foundational-security-best-practices: ["EC2.18"]
#   remediation: >-
#     Replace the rule with rules for the ports the service needs (usually 443), from the narrowest
#     source; put internet-facing services behind a load balancer.
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
#         ingress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         egress: [{protocol: all, from_port: 0, to_port: 65535, ipv4_ranges: [
#         0.0.0.0/0], ipv6_ranges: [], internet_sources: [0.0.0.0/0]}],
#         tags: {team: data, project: lake, env: prod, owner: alice}}
package aws.ec2.all_traffic_open

import data.lib.network
import rego.v1

deny contains result if {
	some key, group in input.resources.security_group
	rules := {network.describe(rule) |
		some rule in group.ingress
		count(rule.internet_sources) > 0
		every_port(rule)
	}
	count(rules) > 0
	result := {"resource": key, "message": sprintf("all ports open to the internet: %s", [concat("; ", rules)])}
}

every_port(rule) if rule.protocol == "all"

every_port(rule) if {
	rule.protocol in network.tcp_udp
	rule.from_port <= 0
	rule.to_port >= 65535
}
