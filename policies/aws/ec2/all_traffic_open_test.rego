package aws.ec2.all_traffic_open_test

import data.aws.ec2.all_traffic_open
import rego.v1

rule(protocol, from, to, ipv4) := {
	"protocol": protocol,
	"from_port": from,
	"to_port": to,
	"ipv4_ranges": ipv4,
	"ipv6_ranges": [],
	"internet_sources": [cidr | some cidr in ipv4; cidr == "0.0.0.0/0"],
}

test_denies_all_protocols_or_full_port_range if {
	all_traffic_open.deny == {
		{"resource": "any", "message": "all ports open to the internet: all 0-65535 from 0.0.0.0/0"},
		{"resource": "tcp", "message": "all ports open to the internet: tcp 0-65535 from 0.0.0.0/0"},
	} with input.resources.security_group as {
		"any": {"ingress": [rule("all", 0, 65535, ["0.0.0.0/0"])]},
		"tcp": {"ingress": [rule("tcp", 0, 65535, ["0.0.0.0/0"])]},
	}
}

test_allows_single_port_or_private_source if {
	count(all_traffic_open.deny) == 0 with input.resources.security_group as {
		"web": {"ingress": [rule("tcp", 443, 443, ["0.0.0.0/0"])]},
		"vpc": {"ingress": [rule("all", 0, 65535, ["10.0.0.0/8"])]},
	}
}
