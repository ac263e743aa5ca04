package aws.ec2.ssh_open_test

import data.aws.ec2.ssh_open
import rego.v1

rule(protocol, from, to, ipv4, ipv6) := {
	"protocol": protocol,
	"from_port": from,
	"to_port": to,
	"ipv4_ranges": ipv4,
	"ipv6_ranges": ipv6,
	"internet_sources": [cidr | some cidr in ["0.0.0.0/0", "::/0"]; cidr in array.concat(ipv4, ipv6)],
}

test_denies_ssh_from_ipv4_and_ipv6_internet if {
	ssh_open.deny == {
		{"resource": "web", "message": "SSH (22/tcp) open to the internet: tcp 22-22 from 0.0.0.0/0"},
		{"resource": "all", "message": "SSH (22/tcp) open to the internet: all 0-65535 from ::/0"},
	} with input.resources.security_group as {
		"web": {"ingress": [rule("tcp", 22, 22, ["0.0.0.0/0"], [])]},
		"all": {"ingress": [rule("all", 0, 65535, [], ["::/0"])]},
	}
}

test_allows_ssh_from_a_known_range_and_other_ports if {
	count(ssh_open.deny) == 0 with input.resources.security_group as {
		"office": {"ingress": [rule("tcp", 22, 22, ["203.0.113.0/24"], [])]},
		"https": {"ingress": [rule("tcp", 443, 443, ["0.0.0.0/0"], ["::/0"])]},
		"dns": {"ingress": [rule("udp", 0, 65535, ["0.0.0.0/0"], [])]},
	}
}
