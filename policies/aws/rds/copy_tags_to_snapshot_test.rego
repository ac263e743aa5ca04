package aws.rds.copy_tags_to_snapshot_test

import data.aws.rds.copy_tags_to_snapshot
import rego.v1

test_denies_copy_tags_to_snapshot if {
	copy_tags_to_snapshot.deny == {{"resource": "a", "message": "tags are not copied to snapshots"}} with input.resources.rds_instance as {
		"a": {"copy_tags_to_snapshot": false},
		"b": {"copy_tags_to_snapshot": true},
	}
}

test_allows_compliant_or_unknown if {
	count(copy_tags_to_snapshot.deny) == 0 with input.resources.rds_instance as {"b": {"copy_tags_to_snapshot": true}, "c": {"copy_tags_to_snapshot": null}}
}
