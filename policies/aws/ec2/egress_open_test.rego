package aws.ec2.egress_open_test

import data.aws.ec2.egress_open
import rego.v1

rule(protocol, from, to, ipv4) := {
	"protocol": protocol,
	"from_port": from,
	"to_port": to,
	"ipv4_ranges": ipv4,
	"ipv6_ranges": [],
	"internet_sources": [cidr | some cidr in ipv4; cidr == "0.0.0.0/0"],
}

test_denies_all_traffic_out_to_the_internet if {
	egress_open.deny == {{"resource": "default", "message": "all traffic open to the internet: all 0-65535 from 0.0.0.0/0"}} with input.resources.security_group as {
		"default": {"egress": [rule("all", 0, 65535, ["0.0.0.0/0"])]},
		"https": {"egress": [rule("tcp", 443, 443, ["0.0.0.0/0"])]},
		"vpc": {"egress": [rule("all", 0, 65535, ["10.0.0.0/8"])]},
		"none": {"egress": []},
	}
}
