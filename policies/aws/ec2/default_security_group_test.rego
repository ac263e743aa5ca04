package aws.ec2.default_security_group_test

import data.aws.ec2.default_security_group
import rego.v1

any_rule := {"protocol": "all", "from_port": 0, "to_port": 65535, "ipv4_ranges": [], "ipv6_ranges": []}

test_denies_default_group_with_rules if {
	default_security_group.deny == {{
		"resource": "sg-default",
		"message": "default security group has 1 inbound and 1 outbound rules",
	}} with input.resources.security_group as {
		"sg-default": {"is_default": true, "ingress": [any_rule], "egress": [any_rule]},
		"sg-app": {"is_default": false, "ingress": [any_rule], "egress": [any_rule]},
	}
}

test_allows_empty_default_group if {
	count(default_security_group.deny) == 0 with input.resources.security_group as {"sg-default": {"is_default": true, "ingress": [], "egress": []}}
}
