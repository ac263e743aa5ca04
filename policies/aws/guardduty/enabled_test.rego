package aws.guardduty.enabled_test

import data.aws.guardduty.enabled
import rego.v1

test_denies_absent_and_suspended_detectors if {
	enabled.deny == {
		{"resource": "none", "message": "no GuardDuty detector in the region"},
		{"resource": "suspended", "message": "the GuardDuty detector is suspended"},
	} with input.resources.guardduty_detector as {
		"none": {"exists": false, "enabled": null},
		"suspended": {"exists": true, "enabled": false},
		"on": {"exists": true, "enabled": true},
		"unknown": {"exists": true, "enabled": null},
	}
}
