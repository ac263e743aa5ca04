package aws.ec2.stopped_instance_volumes_test

import data.aws.ec2.stopped_instance_volumes
import rego.v1

test_denies_stopped_instance_with_volumes if {
	stopped_instance_volumes.deny == {{"resource": "i-1", "message": "stopped instance keeps 2 EBS volumes: vol-a, vol-b"}} with input.resources.ec2_instance as {
		"i-1": {"state": "stopped", "volume_ids": ["vol-a", "vol-b"]},
		"i-2": {"state": "running", "volume_ids": ["vol-c"]},
	}
}

test_allows_running_and_planned_instances if {
	count(stopped_instance_volumes.deny) == 0 with input.resources.ec2_instance as {
		"i-2": {"state": "running", "volume_ids": ["vol-c"]},
		"planned": {"state": null, "volume_ids": null},
	}
}
