# EC2 instances that no longer exist stay visible in the API for about an hour in these states.
package lib.ec2

import rego.v1

gone_states := {"shutting-down", "terminated"}
