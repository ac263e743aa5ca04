package aws.config.recorder_test

import data.aws.config.recorder
import rego.v1

with_recorder(recording, all_supported) := {"exists": true, "recording": recording, "all_supported": all_supported}

test_denies_absent_stopped_and_partial_recorders if {
	recorder.deny == {
		{"resource": "none", "message": "no configuration recorder in the region"},
		{"resource": "stopped", "message": "the recorder is not recording"},
		{"resource": "partial", "message": "the recorder does not record all supported resource types"},
		{"resource": "both", "message": "the recorder does not record all supported resource types; the recorder is not recording"},
	} with input.resources.config_recorder as {
		"none": {"exists": false, "recording": null, "all_supported": null},
		"stopped": with_recorder(false, true),
		"partial": with_recorder(true, false),
		"both": with_recorder(false, false),
		"good": with_recorder(true, true),
		"unknown": with_recorder(null, null),
	}
}
