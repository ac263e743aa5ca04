package aws.vpc.subnet_public_ip_test

import data.aws.vpc.subnet_public_ip
import rego.v1

test_denies_subnet_mapping_public_ips if {
	subnet_public_ip.deny == {{"resource": "subnet-1", "message": "subnet assigns a public IPv4 address to every instance launched in it"}} with input.resources.subnet as {
		"subnet-1": {"map_public_ip_on_launch": true},
		"subnet-2": {"map_public_ip_on_launch": false},
	}
}

test_allows_private_subnet if {
	count(subnet_public_ip.deny) == 0 with input.resources.subnet as {"subnet-2": {"map_public_ip_on_launch": false}}
}
