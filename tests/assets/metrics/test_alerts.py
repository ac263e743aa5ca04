"""Metric alert rules over hourly rollups in a real PostgreSQL: trigger, hold, resolve, scope, data age."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from pydantic import ValidationError

from assets.metrics.alerts import metric_alerts
from cloudforge.alerts.outbox import enqueue_alerts
from cloudforge.settings import MetricAlertRule, load_settings
from cloudforge.warehouse import connect

T0 = datetime(2026, 3, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
A, B = "111111111111", "222222222222"
RULE = MetricAlertRule(name="cpu-hot", resource_type="ec2_instance", metric="CPUUtilization", aggregation="avg",
                       window_hours=2, threshold=90, for_hours=1, severity="high")


@pytest.fixture
def conn(database: str) -> Iterator[psycopg.Connection]:
    with connect(database, autocommit=True) as connection:
        yield connection


def load(conn: psycopg.Connection, account: str, resource_id: str, hourly: list[float], team: str = "web") -> None:
    """Hourly CPU rollups of one instance from T0 (each hour two samples, so avg weighs them), and its tags."""
    conn.execute("DELETE FROM raw_metrics.rollups WHERE resource_id = %s", [resource_id])
    for hour, value in enumerate(hourly):
        conn.execute(
            "INSERT INTO raw_metrics.rollups VALUES (%s, 'us-east-1', 'ec2_instance', %s, 'AWS/EC2', "
            "'CPUUtilization', 'hour', %s, 2, %s, %s, %s, %s, now())",
            [account, resource_id, T0 + hour * HOUR, value, value, value, 2 * value])
    conn.execute("INSERT INTO raw_aws.resources (account_id, region, resource_type, resource_id, document, sync_id, "
                 "synced_at) VALUES (%s, 'us-east-1', 'ec2_instance', %s, %s, gen_random_uuid(), now()) "
                 "ON CONFLICT DO NOTHING",
                 [account, resource_id, json.dumps({"Tags": [{"Key": "Team", "Value": team}]})])


def keys(alerts) -> dict[str, str]:
    return {alert.dedup_key: alert.action for alert in alerts}


def test_a_rule_fires_only_when_it_held_for_its_duration_and_resolves_when_it_stops(conn) -> None:
    load(conn, A, "i-hot", [10, 95, 95, 95])  # windows ending at hours 2 and 3: avg 95 and 95
    load(conn, A, "i-brief", [10, 10, 95, 95])  # at hour 2 the window averages 52.5: held for less than 1 h
    now = T0 + 6 * HOUR
    alerts = metric_alerts(conn, [RULE], now)
    assert keys(alerts) == {f"metric:cpu-hot:{A}:us-east-1:i-hot": "trigger"}
    [alert] = alerts
    assert alert.details["value"] == 95 and alert.details["data_through"] == (T0 + 4 * HOUR).isoformat()
    assert alert.details["data_age_hours"] == 2
    assert "Data through 2026-03-01 04:00 UTC, 2 h old." in alert.summary
    assert enqueue_alerts(conn, alerts, now) == 1
    assert enqueue_alerts(conn, metric_alerts(conn, [RULE], now), now) == 0  # still holding: no new row

    load(conn, A, "i-hot", [10, 95, 95, 95, 20, 20])  # cooled down
    resolved = metric_alerts(conn, [RULE], now)
    assert keys(resolved) == {f"metric:cpu-hot:{A}:us-east-1:i-hot": "resolve"}
    assert enqueue_alerts(conn, resolved, now) == 1
    assert metric_alerts(conn, [RULE], now) == []


def test_an_hour_without_data_breaks_the_streak(conn) -> None:
    load(conn, A, "i-gap", [95, 95, 95])
    conn.execute("DELETE FROM raw_metrics.rollups WHERE bucket_start = %s", [T0 + HOUR])
    assert metric_alerts(conn, [RULE.model_copy(update={"for_hours": 2})], T0 + 3 * HOUR) == []


@pytest.mark.parametrize(("aggregation", "threshold", "fires"), [
    ("max", 97, True), ("max", 99, False), ("sum", 380, True), ("p95", 98.7, True), ("p95", 99, False),
])
def test_aggregations_over_the_window(conn, aggregation: str, threshold: float, fires: bool) -> None:
    load(conn, A, "i-var", [90, 95, 99])  # window of 2 at hour 2: 95 and 99; sums 190 + 198 = 388
    rule = RULE.model_copy(update={"aggregation": aggregation, "threshold": threshold, "for_hours": 0})
    assert bool(metric_alerts(conn, [rule], T0 + 3 * HOUR)) is fires  # p95 of 95, 99: 98.8


def test_scope_by_account_and_tags_without_case(conn) -> None:
    load(conn, A, "i-web", [95, 95], team="Web")
    load(conn, B, "i-data", [95, 95], team="data")
    rule = RULE.model_copy(update={"for_hours": 0})
    assert set(keys(metric_alerts(conn, [rule], T0))) == {f"metric:cpu-hot:{A}:us-east-1:i-web",
                                                         f"metric:cpu-hot:{B}:us-east-1:i-data"}
    by_tag = rule.model_copy(update={"scope": {"tags": {"TEAM": "web"}}})
    assert set(keys(metric_alerts(conn, [MetricAlertRule.model_validate(by_tag.model_dump())], T0))) == {
        f"metric:cpu-hot:{A}:us-east-1:i-web"}
    by_account = MetricAlertRule.model_validate({**rule.model_dump(), "scope": {"accounts": [B]}})
    assert set(keys(metric_alerts(conn, [by_account], T0))) == {f"metric:cpu-hot:{B}:us-east-1:i-data"}


def test_an_alert_of_a_removed_rule_is_resolved(conn) -> None:
    load(conn, A, "i-hot", [95, 95])
    rule = RULE.model_copy(update={"for_hours": 0})
    enqueue_alerts(conn, metric_alerts(conn, [rule], T0), T0)
    assert keys(metric_alerts(conn, [], T0)) == {f"metric:cpu-hot:{A}:us-east-1:i-hot": "resolve"}


@pytest.mark.parametrize(("rule", "message"), [
    ({"severty": "high"}, r"metrics\.alert_rules\.0\.severty\s+Extra inputs are not permitted"),
    ({"scope": {"team": "web"}}, r"metrics\.alert_rules\.0\.scope\.team\s+Extra inputs are not permitted"),
    ({"metric": "CPUUtilisation"}, r"alert rule 'r': ec2_instance: unknown metric 'CPUUtilisation'"),
    ({"resource_type": "ec2"}, r"alert rule 'r': unknown resource type 'ec2'"),
])
def test_a_rule_with_an_unknown_field_or_metric_is_refused_with_where_it_is(rule: dict, message: str) -> None:
    base = {"name": "r", "resource_type": "ec2_instance", "metric": "CPUUtilization", "threshold": 1}
    with pytest.raises(ValidationError, match=message):
        load_settings(metrics={"alert_rules": [{**base, **rule}]})


def test_an_unknown_metric_to_collect_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"metrics\.collect: rds_instance: unknown metric 'Connections' "
                                              r"\(known: CPUUtilization, DatabaseConnections, FreeStorageSpace\)"):
        load_settings(metrics={"collect": {"rds_instance": ["CPUUtilization", "Connections"]}})
