package common.tagging.allowed_values_test

import data.common.tagging.allowed_values
import rego.v1

resources := {"ec2_instance": {
	"i-ok": {"state": "running", "tags": {"env": "prod"}},
	"i-bad": {"state": "running", "tags": {"env": "Production"}},
	"i-untagged": {"state": "running", "tags": {}},
}}

test_denies_value_outside_the_list if {
	allowed_values.deny == {{
		"resource": "i-bad",
		"message": "tag env=Production is not allowed (allowed: prod, staging, dev)",
	}} with input.resources as resources with data.cloudforge.tagging.allowed_values as {"env": ["prod", "staging", "dev"]}
}

test_allows_any_value_without_a_list if {
	count(allowed_values.deny) == 0 with input.resources as resources with data.cloudforge.tagging.allowed_values as {}
}
