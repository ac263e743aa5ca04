package aws.ec2.ebs_default_encryption_test

import data.aws.ec2.ebs_default_encryption
import rego.v1

test_denies_the_regions_where_it_is_off if {
	ebs_default_encryption.deny == {{"resource": "off", "message": "new EBS volumes in this region are not encrypted unless asked"}} with input.resources.ebs_encryption_by_default as {
		"off": {"enabled": false},
		"on": {"enabled": true},
		"unknown": {"enabled": null},
	}
}
