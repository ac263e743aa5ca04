package aws.ec2.gp2_volume_test

import data.aws.ec2.gp2_volume
import rego.v1

test_denies_gp2_volume if {
	gp2_volume.deny == {{"resource": "vol-1", "message": "500 GiB gp2 volume: gp3 costs about 20% less"}} with input.resources.ebs_volume as {
		"vol-1": {"volume_type": "gp2", "size_gb": 500},
		"vol-2": {"volume_type": "gp3", "size_gb": 500},
	}
}

test_allows_gp3_and_unknown_types if {
	count(gp2_volume.deny) == 0 with input.resources.ebs_volume as {"vol-2": {"volume_type": "gp3", "size_gb": 5}, "planned": {"volume_type": null, "size_gb": 5}}
}
