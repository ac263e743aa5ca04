"""Metric alert rules (``metrics.alert_rules``) evaluated over the hourly rollups, into the alerts outbox.

Each rule is judged per resource at its latest collected hour: the rule's aggregation over the ``window_hours``
ending at an hour must breach the threshold at every hour from ``for_hours`` before the latest to the latest
(an hour without data breaks the streak). A firing resource is an alert triggered under
``metric:<rule>:<account>:<region>:<resource_id>``; one that stops firing, or whose rule is gone, is resolved.
The outbox keeps only state changes, so the whole view is sent each time. Every alert says how old its data is.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from psycopg.types.json import Jsonb

from cloudforge.alerts.outbox import Alert
from cloudforge.settings import MetricAlertRule

SOURCE = "metric_rule"
HOUR = timedelta(hours=1)

# The hourly rollups a rule needs: its type and metric, in scope, from the span before the latest hour.
RULE_ROLLUPS = """
    WITH wanted AS (SELECT key, value FROM jsonb_each_text(%(tags)s::jsonb)),
    latest AS (
        SELECT max(bucket_start) AS hour FROM raw_metrics.rollups
        WHERE period = 'hour' AND resource_type = %(resource_type)s AND metric = %(metric)s
    )
    SELECT r.account_id, r.region, r.resource_id, r.bucket_start, r.samples, r.avg, r.p95, r.max, r.sum
    FROM raw_metrics.rollups r, latest
    WHERE r.period = 'hour' AND r.resource_type = %(resource_type)s AND r.metric = %(metric)s
      AND r.bucket_start > latest.hour - make_interval(hours => %(span)s)
      AND (cardinality(%(accounts)s::text[]) = 0 OR r.account_id = ANY(%(accounts)s::text[]))
      AND NOT EXISTS (  -- every wanted tag is on the resource (keys and values compared without case)
          SELECT 1 FROM wanted WHERE NOT EXISTS (
              SELECT 1 FROM raw_aws.resources a, jsonb_array_elements(a.document -> 'Tags') AS tag
              WHERE (a.account_id, a.region, a.resource_type, a.resource_id)
                    = (r.account_id, r.region, r.resource_type, r.resource_id)
                AND lower(tag ->> 'Key') = lower(wanted.key) AND lower(tag ->> 'Value') = lower(wanted.value)))
    ORDER BY r.account_id, r.region, r.resource_id, r.bucket_start
"""
TRIGGERED = """
    SELECT dedup_key, severity, title FROM (
        SELECT DISTINCT ON (dedup_key) dedup_key, action, severity, title FROM alerts.outbox
        WHERE source = %s ORDER BY dedup_key, alert_id DESC
    ) AS latest
    WHERE action = 'trigger'
"""


@dataclass(frozen=True)
class Hour:
    start: datetime
    samples: int
    avg: float
    p95: float
    max: float
    sum: float


def percentile_cont(values: list[float], fraction: float) -> float:
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def aggregate(hours: list[Hour], aggregation: str) -> float:
    if aggregation == "avg":
        return sum(hour.avg * hour.samples for hour in hours) / sum(hour.samples for hour in hours)
    if aggregation == "max":
        return max(hour.max for hour in hours)
    if aggregation == "sum":
        return sum(hour.sum for hour in hours)
    return percentile_cont([hour.p95 for hour in hours], 0.95)


def firing_value(rule: MetricAlertRule, hours: dict[datetime, Hour]) -> float | None:
    """The aggregation at the latest hour when the rule holds at every hour it must, else None."""
    latest = max(hours)
    values = []
    for k in range(rule.for_hours + 1):
        at = latest - k * HOUR
        window = [hours[at - i * HOUR] for i in range(rule.window_hours) if at - i * HOUR in hours]
        if at not in hours or not window:
            return None
        value = aggregate(window, rule.aggregation)
        if not (value > rule.threshold if rule.comparison == "above" else value < rule.threshold):
            return None
        values.append(value)
    return values[0]


def rule_alerts(conn: psycopg.Connection, rule: MetricAlertRule, now: datetime) -> list[Alert]:
    """The alerts of one rule: one per resource in its scope that it fires on."""
    params = {"resource_type": rule.resource_type, "metric": rule.metric, "tags": Jsonb(rule.scope.tags),
              "accounts": rule.scope.accounts, "span": rule.window_hours + rule.for_hours}
    series: dict[tuple[str, str, str], dict[datetime, Hour]] = defaultdict(dict)
    for account_id, region, resource_id, start, *figures in conn.execute(RULE_ROLLUPS, params):
        series[(account_id, region, resource_id)][start] = Hour(start, *figures)
    alerts = []
    for (account_id, region, resource_id), hours in series.items():
        value = firing_value(rule, hours)
        if value is not None:
            alerts.append(_alert(rule, account_id, region, resource_id, value, max(hours) + HOUR, now))
    return alerts


def _alert(rule: MetricAlertRule, account_id: str, region: str, resource_id: str, value: float,
           data_end: datetime, now: datetime) -> Alert:
    age_hours = round((now - data_end) / HOUR, 1)
    held = f" for {rule.for_hours} h" if rule.for_hours else ""
    return Alert(
        dedup_key=f"metric:{rule.name}:{account_id}:{region}:{resource_id}",
        source=SOURCE,
        severity=rule.severity,
        title=f"{rule.name}: {rule.metric} {rule.comparison} {rule.threshold:g} on {rule.resource_type} {resource_id}",
        summary=(
            f"{rule.metric} ({rule.aggregation} over {rule.window_hours} h) of {rule.resource_type} {resource_id} in "
            f"{account_id} {region} is {value:.2f}, {rule.comparison} {rule.threshold:g}{held}. Data through "
            f"{data_end:%Y-%m-%d %H:%M} UTC, {age_hours:g} h old."
        ),
        details={"rule": rule.name, "account_id": account_id, "region": region,
                 "resource_type": rule.resource_type, "resource_id": resource_id, "metric": rule.metric,
                 "aggregation": rule.aggregation, "window_hours": rule.window_hours, "value": round(value, 4),
                 "threshold": rule.threshold, "comparison": rule.comparison, "for_hours": rule.for_hours,
                 "data_through": data_end.isoformat(), "data_age_hours": age_hours},
        link="/health",
    )


def metric_alerts(conn: psycopg.Connection, rules: Iterable[MetricAlertRule], now: datetime) -> list[Alert]:
    """Every firing rule and resource as a trigger, and every alert triggered before that no longer fires
    (its rule changed, gone, or the condition over) as a resolve."""
    firing = [alert for rule in rules for alert in rule_alerts(conn, rule, now)]
    holding = {alert.dedup_key for alert in firing}
    resolved = [
        Alert(dedup_key=key, source=SOURCE, severity=severity, title=title,
              summary=f"Resolved: {title} no longer holds.", action="resolve")
        for key, severity, title in conn.execute(TRIGGERED, [SOURCE]) if key not in holding
    ]
    return firing + resolved
