package aws.vpc.acl_admin_ports_test

import data.aws.vpc.acl_admin_ports
import rego.v1

rule(number, action, protocol, from, to, sources) := {
	"rule_number": number, "action": action, "protocol": protocol,
	"from_port": from, "to_port": to, "internet_sources": sources,
}

deny_all := rule(32767, "deny", "all", 0, 65535, ["0.0.0.0/0"])

test_denies_allow_all_and_admin_port_rules_from_the_internet if {
	acl_admin_ports.deny == {
		{"resource": "default", "message": "the internet may reach RDP (3389) by rule 100: all 0-65535 from 0.0.0.0/0, SSH (22) by rule 100: all 0-65535 from 0.0.0.0/0"},
		{"resource": "ssh", "message": "the internet may reach SSH (22) by rule 120: tcp 22-22 from ::/0"},
	} with input.resources.network_acl as {
		"default": {"ingress": [rule(100, "allow", "all", 0, 65535, ["0.0.0.0/0"]), deny_all]},
		"ssh": {"ingress": [rule(100, "allow", "tcp", 443, 443, ["0.0.0.0/0"]), rule(120, "allow", "tcp", 22, 22, ["::/0"]), deny_all]},
	}
}

test_a_lower_numbered_deny_or_a_known_range_closes_the_ports if {
	count(acl_admin_ports.deny) == 0 with input.resources.network_acl as {
		"guarded": {"ingress": [
			rule(90, "deny", "tcp", 22, 22, ["0.0.0.0/0"]),
			rule(91, "deny", "tcp", 3389, 3389, ["0.0.0.0/0"]),
			rule(100, "allow", "all", 0, 65535, ["0.0.0.0/0"]),
			deny_all,
		]},
		"office": {"ingress": [rule(100, "allow", "tcp", 22, 22, []), deny_all]},
		"closed": {"ingress": [deny_all]},
	}
}
