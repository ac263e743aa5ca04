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
	covers(rule, protocols, port)
}

covers(rule, protocols, port) if {
	rule.from_port <= port
	port <= rule.to_port
	allows_protocol(rule, protocols)
}

# Network ACL rules (policies/schemas/network_acl.json: a rule above plus rule_number and action) are
# evaluated in increasing number and the first that matches decides: an allow from the internet is open
# unless a lower-numbered deny from the same internet range matches first.

# "rule 100: all 0-65535 from 0.0.0.0/0" for each rule letting the internet reach the port.
open_acl_ingress(acl, protocols, port) := {sprintf("rule %d: %s", [rule.rule_number, describe(rule)]) |
	some rule in acl.ingress
	rule.action == "allow"
	some source in rule.internet_sources
	covers(rule, protocols, port)
	not denied_first(acl, rule, source, protocols, port)
}

denied_first(acl, rule, source, protocols, port) if {
	some other in acl.ingress
	other.rule_number < rule.rule_number
	other.action == "deny"
	source in other.internet_sources
	covers(other, protocols, port)
}

# Rules allowing every protocol and port from the internet with no lower-numbered deny from that range.
all_ports_acl_ingress(acl) := {sprintf("rule %d: %s", [rule.rule_number, describe(rule)]) |
	some rule in acl.ingress
	rule.action == "allow"
	rule.protocol == "all"
	some source in rule.internet_sources
	not any_denied_first(acl, rule, source)
}

any_denied_first(acl, rule, source) if {
	some other in acl.ingress
	other.rule_number < rule.rule_number
	other.action == "deny"
	source in other.internet_sources
}

allows_protocol(rule, _) if rule.protocol == "all"

allows_protocol(rule, protocols) if rule.protocol in protocols
