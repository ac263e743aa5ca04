package aws.lambda.deprecated_runtime_test

import data.aws.lambda.deprecated_runtime
import rego.v1

functions := {
	"old": {"runtime": "python3.8"},
	"soon": {"runtime": "python3.9"},
	"current": {"runtime": "python3.12"},
	"image": {"runtime": null},
}

test_denies_runtime_past_its_deprecation_date if {
	deprecated_runtime.deny == {{"resource": "old", "message": "runtime python3.8 was deprecated on 2024-10-14"}} with input as {
		"now": "2025-06-01T00:00:00Z",
		"resources": {"lambda_function": functions},
	}
}

test_deprecation_follows_now if {
	count(deprecated_runtime.deny) == 2 with input as {"now": "2025-12-15T00:00:00Z", "resources": {"lambda_function": functions}}
	count(deprecated_runtime.deny) == 0 with input as {"now": "2024-01-01T00:00:00Z", "resources": {"lambda_function": functions}}
}
