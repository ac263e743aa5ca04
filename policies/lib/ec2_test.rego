package lib.ec2_test

import data.lib.ec2
import rego.v1

test_gone_states_are_the_ones_of_instances_that_no_longer_exist if {
	ec2.gone_states == {"shutting-down", "terminated"}
	not "stopped" in ec2.gone_states
	not "running" in ec2.gone_states
}
