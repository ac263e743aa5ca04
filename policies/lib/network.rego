# Security group rules as declared in policies/schemas/security_group.json:
# {"protocol": "tcp"|"udp"|"icmp"|"all"|..., "from_port", "to_port", "ipv4_ranges", "ipv6_ranges",
#  "internet_sources": the ranges among 0.0.0.0/0 and ::/0 the rule admits}.
# These run for every rule of every group: cheap checks first, constants as rules (regorus rebuilds a
# literal collection each time it meets one).
package lib.network

import rego.v1

tcp := {"tcp"}

tcp_udp := {"tcp", "udp"}

# "tcp 20-25 from 0.0.0.0/0, ::/0"
describe(rule) := sprintf("%s %d-%d from %s", [rule.protocol, rule.from_port, rule.to_port, concat(", ", rule.internet_sources)])

# Descriptions of the ingress rules open to the internet on the port, for any of the protocols.
open_ingress(group, protocols, port) := {describe(rule) |
	some rule in group.ingress
	count(rule.internet_sources) > 0
	rule.from_port <= port
	port <= rule.to_port
	allows_protocol(rule, protocols)
}

allows_protocol(rule, _) if rule.protocol == "all"

allows_protocol(rule, protocols) if rule.protocol in protocols
