package aws.ec2.unassociated_eip_test

import data.aws.ec2.unassociated_eip
import rego.v1

test_denies_unassociated_address if {
	unassociated_eip.deny == {{"resource": "eipalloc-1", "message": "Elastic IP 198.51.100.7 is not associated with anything"}} with input.resources.elastic_ip as {
		"eipalloc-1": {"associated": false, "public_ip": "198.51.100.7"},
		"eipalloc-2": {"associated": true, "public_ip": "198.51.100.8"},
	}
}

test_allows_associated_and_planned_addresses if {
	count(unassociated_eip.deny) == 0 with input.resources.elastic_ip as {
		"eipalloc-2": {"associated": true, "public_ip": "198.51.100.8"},
		"planned": {"associated": null, "public_ip": null},
	}
}
