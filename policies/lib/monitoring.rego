# CIS AWS Foundations section 4 ("a log metric filter and alarm exist for ..."): a CloudTrail trail delivers
# its events to a CloudWatch Logs log group, a metric filter on that group matches the recommendation's
# pattern, a CloudWatch alarm watches the filter's metric and notifies an SNS topic with a confirmed
# subscription. Trails as declared in policies/schemas/cloudtrail_trail.json (metric_filters: [{name,
# pattern, alarmed, subscribed}]).
#
# A recommendation's pattern is a list of clauses [field, operator, value] that must all appear in the
# filter pattern, in any order, spacing and quoting: ["eventName", "=", "CreateTrail"] is met by
# `($.eventName = "CreateTrail")` and `$.eventName=CreateTrail`, not by `$.eventName = CreateTrailX`.
# Unknowns (a plan's pattern or subscription known on apply: null) never deny. Each trail is judged on its
# own: CIS asks this of the account's multi-region trail, so an extra trail without the filters fails too.
package lib.monitoring

import rego.v1

# {"resource": key, "message": ...} for each trail that lacks the recommendation's filter, alarm or subscriber.
denials(trails, clauses, what) := {{"resource": key, "message": message} |
	some key, trail in trails
	message := problem(trail, matching(trail, clauses), what)
}

problem(trail, _, _) := "the trail delivers no events to CloudWatch Logs" if {
	trail.cloudwatch_logs_integrated == false
}

problem(trail, found, what) := sprintf("no metric filter on its CloudWatch Logs log group matches %s", [what]) if {
	trail.cloudwatch_logs_integrated == true
	is_array(trail.metric_filters)
	every metric_filter in trail.metric_filters {
		is_string(metric_filter.pattern)
	}
	count(found) == 0
}

problem(_, found, what) := sprintf("no alarm watches the metric filter for %s (%s)", [what, names(found)]) if {
	count(found) > 0
	every metric_filter in found {
		metric_filter.alarmed == false
	}
}

problem(_, found, what) := message if {
	alarmed := [metric_filter | some metric_filter in found; metric_filter.alarmed == true]
	count(alarmed) > 0
	every metric_filter in alarmed {
		metric_filter.subscribed == false
	}
	message := sprintf("no alarm on the metric filter for %s notifies a confirmed SNS subscription (%s)", [what, names(alarmed)])
}

# The trail's metric filters whose pattern has every clause.
matching(trail, clauses) := [metric_filter |
	is_array(trail.metric_filters)
	some metric_filter in trail.metric_filters
	is_string(metric_filter.pattern)
	present := clauses_of(metric_filter.pattern)
	every clause in clauses {
		clause in present
	}
]

# A pattern's clauses: the input's patterns are read once per evaluation (every recommendation looks them up in
# input_patterns), another (a test's trail) when asked.
clauses_of(pattern) := input_patterns[pattern]

clauses_of(pattern) := pattern_clauses(pattern) if not input_patterns[pattern]

input_patterns[pattern] := pattern_clauses(pattern) if some pattern in distinct_input_patterns

distinct_input_patterns contains pattern if {
	some trail in input.resources.cloudtrail_trail
	some metric_filter in trail.metric_filters
	pattern := metric_filter.pattern
	is_string(pattern)
}

# The [field, operator, value] clauses of a filter pattern, read in one pass (a pattern is read once per
# recommendation, not once per clause): `($.eventName = "CreateTrail")` and `$.eventName=CreateTrail` are
# both ["eventName", "=", "CreateTrail"]; `$.eventName = CreateTrailX` is another value; an operator's words
# are joined by one space (`NOT  EXISTS` is "NOT EXISTS", with the value "").
pattern_clauses(pattern) := {[field, concat(" ", regex.split(`\s+`, operator)), trim(value, `"`)] |
	some [_, field, operator, value] in regex.find_all_string_submatch_n(clause_syntax, pattern, -1)
}

clause_syntax := `\$\.([A-Za-z0-9_.\[\]]+)\s*(!=|=|>=|<=|>|<|NOT\s+EXISTS|IS\s+NULL|IS\s+TRUE|IS\s+FALSE)\s*("[^"]*"|[^\s()|&"]*)`

names(metric_filters) := concat(", ", sort([name(metric_filter) | some metric_filter in metric_filters]))

name(metric_filter) := metric_filter.name if is_string(metric_filter.name)

name(metric_filter) := "unnamed" if not is_string(metric_filter.name)
