package aws.ec2.previous_generation_test

import data.aws.ec2.previous_generation
import rego.v1

test_denies_older_generation if {
	previous_generation.deny == {{"resource": "i-1", "message": "t2.micro is an older generation; t3 costs less for the same capacity"}} with input.resources.ec2_instance as {
		"i-1": {"state": "running", "instance_type": "t2.micro", "instance_family": "t2"},
		"i-2": {"state": "running", "instance_type": "t3.micro", "instance_family": "t3"},
	}
}

test_allows_current_generation if {
	count(previous_generation.deny) == 0 with input.resources.ec2_instance as {"i-2": {"state": "stopped", "instance_type": "m7g.large", "instance_family": "m7g"}}
}
