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
