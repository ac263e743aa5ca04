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
	message := problem(trail, clauses, what)
}

problem(trail, _, _) := "the trail delivers no events to CloudWatch Logs" if {
	trail.cloudwatch_logs_integrated == false
}

problem(trail, clauses, what) := sprintf("no metric filter on its CloudWatch Logs log group matches %s", [what]) if {
	trail.cloudwatch_logs_integrated == true
	is_array(trail.metric_filters)
	every metric_filter in trail.metric_filters {
		is_string(metric_filter.pattern)
	}
	count(matching(trail, clauses)) == 0
}

problem(trail, clauses, what) := sprintf("no alarm watches the metric filter for %s (%s)", [what, names(found)]) if {
	found := matching(trail, clauses)
	count(found) > 0
	every metric_filter in found {
		metric_filter.alarmed == false
	}
}

problem(trail, clauses, what) := message if {
	alarmed := [metric_filter | some metric_filter in matching(trail, clauses); metric_filter.alarmed == true]
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
	every clause in clauses {
		regex.match(clause_regex(clause), metric_filter.pattern)
	}
]

# `\$\.eventName\s*=\s*"?CreateTrail"?($|[^A-Za-z0-9])`: the field, the operator, the value quoted or not
# and nothing that would make it a longer name.
clause_regex([field, operator, value]) := sprintf(`\$\.%s\s*%s\s*"?%s"?($|[^A-Za-z0-9])`, [
	escape(field),
	replace(operator, " ", `\s+`),
	escape(value),
])

escape(text) := strings.replace_n({".": `\.`, "*": `\*`, "$": `\$`}, text)

names(metric_filters) := concat(", ", sort([name(metric_filter) | some metric_filter in metric_filters]))

name(metric_filter) := metric_filter.name if is_string(metric_filter.name)

name(metric_filter) := "unnamed" if not is_string(metric_filter.name)
