package aws.ec2.unattached_volume_test

import data.aws.ec2.unattached_volume
import rego.v1

test_denies_available_volume if {
	unattached_volume.deny == {{"resource": "vol-1", "message": "100 GiB gp3 volume is not attached to any instance"}} with input.resources.ebs_volume as {
		"vol-1": {"state": "available", "size_gb": 100, "volume_type": "gp3"},
		"vol-2": {"state": "in-use", "size_gb": 8, "volume_type": "gp3"},
	}
}

test_allows_attached_and_planned_volumes if {
	count(unattached_volume.deny) == 0 with input.resources.ebs_volume as {
		"vol-2": {"state": "in-use", "size_gb": 8, "volume_type": "gp3"},
		"planned": {"state": null, "size_gb": 8, "volume_type": null},
	}
}
