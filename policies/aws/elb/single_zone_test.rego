package aws.elb.single_zone_test

import data.aws.elb.single_zone
import rego.v1

test_denies_single_zone_load_balancer if {
	single_zone.deny == {{"resource": "nlb", "message": "load balancer spans 1 Availability Zone"}} with input.resources.load_balancer as {
		"nlb": {"zone_count": 1},
		"alb": {"zone_count": 3},
	}
}

test_allows_multi_zone_and_unknown if {
	count(single_zone.deny) == 0 with input.resources.load_balancer as {"alb": {"zone_count": 2}, "planned": {"zone_count": null}}
}
