package aws.vpc.acl_all_ports_test

import data.aws.vpc.acl_all_ports
import rego.v1

rule(number, action, protocol, from, to, sources) := {
	"rule_number": number, "action": action, "protocol": protocol,
	"from_port": from, "to_port": to, "internet_sources": sources,
}

test_denies_an_allow_all_rule_from_the_internet if {
	acl_all_ports.deny == {{"resource": "default", "message": "all ports open to the internet: rule 100: all 0-65535 from 0.0.0.0/0"}} with input.resources.network_acl as {
		"default": {"ingress": [rule(100, "allow", "all", 0, 65535, ["0.0.0.0/0"]), rule(32767, "deny", "all", 0, 65535, ["0.0.0.0/0"])]},
		"guarded": {"ingress": [rule(90, "deny", "tcp", 22, 22, ["0.0.0.0/0"]), rule(100, "allow", "all", 0, 65535, ["0.0.0.0/0"])]},
		"web": {"ingress": [rule(100, "allow", "tcp", 0, 65535, ["0.0.0.0/0"])]},
		"private": {"ingress": [rule(100, "allow", "all", 0, 65535, [])]},
	}
}
