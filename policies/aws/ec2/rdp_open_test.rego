package aws.ec2.rdp_open_test

import data.aws.ec2.rdp_open
import rego.v1

rule(protocol, from, to, ipv4) := {
	"protocol": protocol,
	"from_port": from,
	"to_port": to,
	"ipv4_ranges": ipv4,
	"ipv6_ranges": [],
	"internet_sources": [cidr | some cidr in ipv4; cidr == "0.0.0.0/0"],
}

test_denies_rdp_over_tcp_or_udp_from_the_internet if {
	rdp_open.deny == {
		{"resource": "win", "message": "RDP (3389) open to the internet: tcp 3389-3389 from 0.0.0.0/0"},
		{"resource": "range", "message": "RDP (3389) open to the internet: udp 3000-4000 from 0.0.0.0/0"},
	} with input.resources.security_group as {
		"win": {"ingress": [rule("tcp", 3389, 3389, ["0.0.0.0/0"])]},
		"range": {"ingress": [rule("udp", 3000, 4000, ["0.0.0.0/0"])]},
	}
}

test_allows_rdp_from_a_known_range if {
	count(rdp_open.deny) == 0 with input.resources.security_group as {"win": {"ingress": [rule("tcp", 3389, 3389, ["10.0.0.0/8"])]}}
}
