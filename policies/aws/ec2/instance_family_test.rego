package aws.ec2.instance_family_test

import data.aws.ec2.instance_family
import rego.v1

families := {"dev": ["t3", "t4g"], "prod": ["m6i", "c6i"]}

instances := {
	"i-dev-big": {"state": "running", "instance_type": "m6i.4xlarge", "instance_family": "m6i", "tags": {"env": "dev"}},
	"i-dev-ok": {"state": "running", "instance_type": "t3.small", "instance_family": "t3", "tags": {"env": "dev"}},
	"i-prod-ok": {"state": "running", "instance_type": "c6i.large", "instance_family": "c6i", "tags": {"env": "prod"}},
	"i-sandbox": {"state": "running", "instance_type": "p4d.24xlarge", "instance_family": "p4d", "tags": {"env": "sandbox"}},
	"i-untagged": {"state": "running", "instance_type": "x2idn.32xlarge", "instance_family": "x2idn", "tags": {}},
	"planned": {"state": null, "instance_type": null, "instance_family": null, "tags": {"env": "dev"}},
}

test_denies_family_outside_the_env_list if {
	instance_family.deny == {{
		"resource": "i-dev-big",
		"message": "instance family m6i is not allowed in env dev (allowed: t3, t4g)",
	}} with input.resources.ec2_instance as instances with data.cloudforge.cost.instance_families as families
}

test_allows_everything_without_configured_families if {
	count(instance_family.deny) == 0 with input.resources.ec2_instance as instances with data.cloudforge.cost.instance_families as {}
}
