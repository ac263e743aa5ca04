package aws.securityhub.enabled_test

import data.aws.securityhub.enabled
import rego.v1

test_denies_regions_without_security_hub if {
	enabled.deny == {{"resource": "off", "message": "Security Hub is not enabled in the region"}} with input.resources.security_hub as {
		"off": {"enabled": false},
		"on": {"enabled": true},
	}
}
