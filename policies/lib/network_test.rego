package lib.network_test

import data.lib.network
import rego.v1

rule(protocol, from, to, sources) := {"protocol": protocol, "from_port": from, "to_port": to, "internet_sources": sources}

ssh_world := rule("tcp", 22, 22, ["0.0.0.0/0"])

all_v6 := rule("all", 0, 65535, ["::/0"])

office := rule("tcp", 0, 65535, [])

dns_world := rule("udp", 53, 53, ["0.0.0.0/0", "::/0"])

test_open_ingress_checks_port_protocol_and_source if {
	group := {"ingress": [ssh_world, all_v6, office, dns_world]}
	network.open_ingress(group, network.tcp, 22) == {"tcp 22-22 from 0.0.0.0/0", "all 0-65535 from ::/0"}
	network.open_ingress(group, network.tcp_udp, 53) == {"all 0-65535 from ::/0", "udp 53-53 from 0.0.0.0/0, ::/0"}
	network.open_ingress(group, network.tcp, 23) == {"all 0-65535 from ::/0"}
}

test_describe_names_protocol_ports_and_internet_sources if {
	network.describe(dns_world) == "udp 53-53 from 0.0.0.0/0, ::/0"
	network.describe(office) == "tcp 0-65535 from "
}

test_protocol_all_is_allowed_whatever_the_protocols if {
	network.allows_protocol(all_v6, set())
	network.allows_protocol(ssh_world, network.tcp)
	not network.allows_protocol(dns_world, network.tcp)
}

acl_rule(number, action, protocol, from, to, sources) := object.union(rule(protocol, from, to, sources), {"rule_number": number, "action": action})

test_acl_first_matching_rule_decides if {
	acl := {"ingress": [
		acl_rule(90, "deny", "tcp", 3389, 3389, ["0.0.0.0/0"]),
		acl_rule(100, "allow", "all", 0, 65535, ["0.0.0.0/0"]),
		acl_rule(110, "allow", "tcp", 22, 22, ["::/0"]),
		acl_rule(32767, "deny", "all", 0, 65535, ["0.0.0.0/0"]),
	]}
	network.open_acl_ingress(acl, network.tcp, 22) == {"rule 100: all 0-65535 from 0.0.0.0/0", "rule 110: tcp 22-22 from ::/0"}
	network.open_acl_ingress(acl, network.tcp, 3389) == set()
	network.open_acl_ingress(acl, network.tcp, 80) == {"rule 100: all 0-65535 from 0.0.0.0/0"}
	network.all_ports_acl_ingress(acl) == set()
}

test_acl_all_ports_open_without_a_deny_before if {
	acl := {"ingress": [
		acl_rule(100, "allow", "all", 0, 65535, ["0.0.0.0/0"]),
		acl_rule(200, "deny", "tcp", 22, 22, ["0.0.0.0/0"]),
		acl_rule(300, "allow", "all", 0, 65535, []),
	]}
	network.all_ports_acl_ingress(acl) == {"rule 100: all 0-65535 from 0.0.0.0/0"}
}
