package aws.ec2.public_ip_test

import data.aws.ec2.public_ip
import rego.v1

test_denies_instance_with_public_address if {
	public_ip.deny == {{"resource": "i-1", "message": "instance has a public IPv4 address"}} with input.resources.ec2_instance as {
		"i-1": {"state": "running", "has_public_ip": true},
		"i-2": {"state": "running", "has_public_ip": false},
	}
}

test_allows_private_and_unknown_instances if {
	count(public_ip.deny) == 0 with input.resources.ec2_instance as {
		"i-2": {"state": "running", "has_public_ip": false},
		"planned": {"state": null, "has_public_ip": null},
	}
}
