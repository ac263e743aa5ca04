package aws.ec2.database_ports_open_test

import data.aws.ec2.database_ports_open
import rego.v1

rule(from, to, ipv4) := {
	"protocol": "tcp",
	"from_port": from,
	"to_port": to,
	"ipv4_ranges": ipv4,
	"ipv6_ranges": [],
	"internet_sources": [cidr | some cidr in ipv4; cidr == "0.0.0.0/0"],
}

test_denies_database_ports_open_to_the_internet if {
	database_ports_open.deny == {{
		"resource": "db",
		"message": "database ports open to the internet: MySQL 3306, PostgreSQL 5432",
	}} with input.resources.security_group as {"db": {"ingress": [rule(3306, 3306, ["0.0.0.0/0"]), rule(5432, 5432, ["0.0.0.0/0"])]}}
}

test_allows_database_ports_from_private_ranges if {
	count(database_ports_open.deny) == 0 with input.resources.security_group as {
		"db": {"ingress": [rule(5432, 5432, ["10.0.0.0/16"])]},
		"web": {"ingress": [rule(443, 443, ["0.0.0.0/0"])]},
	}
}
