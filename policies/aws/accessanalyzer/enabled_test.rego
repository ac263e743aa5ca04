package aws.accessanalyzer.enabled_test

import data.aws.accessanalyzer.enabled
import rego.v1

test_an_active_account_or_organization_analyzer_passes if {
	count(enabled.deny) == 0 with input.resources.access_analyzer as {
		"account": {"analyzers": [{"name": "a", "type": "ACCOUNT", "status": "ACTIVE"}]},
		"org": {"analyzers": [{"name": "o", "type": "ORGANIZATION", "status": "ACTIVE"}, {"name": "u", "type": "ACCOUNT_UNUSED_ACCESS", "status": "ACTIVE"}]},
	}
}

test_denies_regions_without_an_active_external_analyzer if {
	enabled.deny == {
		{"resource": "none", "message": "no IAM Access Analyzer analyzer in the region"},
		{"resource": "unused", "message": "no active external access analyzer in the region (has u: ACCOUNT_UNUSED_ACCESS ACTIVE)"},
		{"resource": "failed", "message": "no active external access analyzer in the region (has a: ACCOUNT FAILED)"},
	} with input.resources.access_analyzer as {
		"none": {"analyzers": []},
		"unused": {"analyzers": [{"name": "u", "type": "ACCOUNT_UNUSED_ACCESS", "status": "ACTIVE"}]},
		"failed": {"analyzers": [{"name": "a", "type": "ACCOUNT", "status": "FAILED"}]},
	}
}
