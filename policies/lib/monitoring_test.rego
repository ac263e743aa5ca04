package lib.monitoring_test

import data.lib.monitoring
import rego.v1

trail_changes := [["eventName", "=", "CreateTrail"], ["eventName", "=", "StopLogging"]]

root_usage := [["userIdentity.type", "=", "Root"], ["userIdentity.invokedBy", "NOT EXISTS", ""]]

watched(filters) := {"cloudwatch_logs_integrated": true, "metric_filters": filters}

test_clauses_match_in_any_order_spacing_and_quoting if {
	every pattern in [
		`{ ($.eventName = "CreateTrail") || ($.eventName = StopLogging) }`,
		`{($.eventName=StopLogging)||($.eventName=CreateTrail)}`,
	] {
		count(monitoring.matching(watched([{"name": "f", "pattern": pattern}]), trail_changes)) == 1
	}
}

test_a_longer_name_or_a_missing_clause_does_not_match if {
	every pattern in [
		`{ ($.eventName = CreateTrailX) || ($.eventName = StopLogging) }`,
		`{ ($.eventName = CreateTrail) }`,
		`{ ($.eventName != CreateTrail) || ($.eventName = StopLogging) }`,
	] {
		count(monitoring.matching(watched([{"name": "f", "pattern": pattern}]), trail_changes)) == 0
	}
}

test_operators_with_words_and_wildcard_values if {
	pattern := `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
	count(monitoring.matching(watched([{"name": "root", "pattern": pattern}]), root_usage)) == 1
	denied := `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	clauses := [["errorCode", "=", "*UnauthorizedOperation"], ["errorCode", "=", "AccessDenied*"]]
	count(monitoring.matching(watched([{"name": "denied", "pattern": denied}]), clauses)) == 1
}

trail_pattern := `{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) }`

test_each_missing_link_is_named if {
	monitoring.denials(
		{
			"bare": {"cloudwatch_logs_integrated": false, "metric_filters": []},
			"unfiltered": watched([{"name": "other", "pattern": `{ $.eventName = CreateVpc }`, "alarmed": true, "subscribed": true}]),
			"unalarmed": watched([{"name": "trail", "pattern": trail_pattern, "alarmed": false, "subscribed": false}]),
			"unsubscribed": watched([{"name": "trail", "pattern": trail_pattern, "alarmed": true, "subscribed": false}]),
			"watched": watched([
				{"name": "trail-1", "pattern": trail_pattern, "alarmed": true, "subscribed": false},
				{"name": "trail-2", "pattern": trail_pattern, "alarmed": true, "subscribed": true},
			]),
		},
		trail_changes,
		"trail changes",
	) == {
		{"resource": "bare", "message": "the trail delivers no events to CloudWatch Logs"},
		{"resource": "unfiltered", "message": "no metric filter on its CloudWatch Logs log group matches trail changes"},
		{"resource": "unalarmed", "message": "no alarm watches the metric filter for trail changes (trail)"},
		{"resource": "unsubscribed", "message": "no alarm on the metric filter for trail changes notifies a confirmed SNS subscription (trail)"},
	}
}

test_unknowns_never_deny if {
	count(monitoring.denials(
		{
			"integration unknown": {"cloudwatch_logs_integrated": null, "metric_filters": null},
			"filters unknown": {"cloudwatch_logs_integrated": true, "metric_filters": null},
			"a pattern unknown": watched([{"name": null, "pattern": null, "alarmed": true, "subscribed": true}]),
			"subscriber confirms on apply": watched([{"name": "trail", "pattern": trail_pattern, "alarmed": true, "subscribed": null}]),
		},
		trail_changes,
		"trail changes",
	)) == 0
}

test_the_inputs_patterns_read_once_match_as_any_other if {
	trail := watched([
		{"name": "trail", "pattern": trail_pattern, "alarmed": true, "subscribed": true},
		{"name": "longer", "pattern": `{ ($.eventName = CreateTrailX) || ($.eventName = StopLogging) }`},
	])
	monitoring.input_patterns == {} with input as {"resources": {}}
	count(monitoring.input_patterns) == 2 with input as {"resources": {"cloudtrail_trail": {"t": trail}}}
	[f.name | some f in monitoring.matching(trail, trail_changes)] == ["trail"] with input as {"resources": {"cloudtrail_trail": {"t": trail}}}
	[f.name | some f in monitoring.matching(trail, trail_changes)] == ["trail"]
}
