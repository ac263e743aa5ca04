"""`cloudforge run` on the demo fills the time-series server, the rollups and the metric alert (demo/metrics.py)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter
from datetime import timedelta

import pytest

from assets.metrics.alerts import percentile_cont
from cloudforge.local.timeseries import start_embedded_timeseries
from cloudforge.warehouse import connect
from demo.metrics import DAYS, HOURS, demo_series, first_hour, hourly_value, profiles


def query(demo_run, sql: str, params=()) -> list[tuple]:
    with connect(demo_run.url) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def series(demo_run):
    return demo_series(demo_run.estate, demo_run.resource_ids)


def significant(values) -> list[float]:
    """Values to 9 significant digits: VictoriaMetrics stores floats as decimals of up to 12."""
    return [float(f"{value:.9g}") for value in values]


def expected_rollups(series, start) -> set[tuple]:
    """Every rollup the published values imply: (resource_id, metric, period, bucket_start, samples, avg, p95,
    max, sum), figures rounded to 9 significant digits."""
    rows = set()
    for one in series:
        for period, size in (("hour", 1), ("day", 24)):
            for first in range(0, HOURS, size):
                values = one.values[first : first + size]
                figures = (sum(values) / size, percentile_cont(list(values), 0.95), max(values), sum(values))
                rows.add((one.resource_id, one.metric, period, start + timedelta(hours=first), size,
                          *(float(f"{figure:.9g}") for figure in figures)))
    return rows


def test_the_run_collects_every_published_value_into_exact_rollups(demo_run, series, clock) -> None:
    assert demo_run.result.exit_code == 0, demo_run.result.output
    assert len(series) == 367 and sum(len(one.values) for one in series) == 367 * DAYS * 24
    stored = query(demo_run, "SELECT resource_id, metric, period, bucket_start, samples, avg, p95, max, sum "
                             "FROM raw_metrics.rollups")
    rounded = {(*row[:5], *(float(f"{figure:.9g}") for figure in row[5:])) for row in stored}
    assert len(stored) == 367 * (HOURS + DAYS)
    assert rounded == expected_rollups(series, first_hour(clock.today()))


def test_every_slice_is_recorded_with_its_values(demo_run, series) -> None:
    per_slice = Counter()
    for one in series:
        per_slice[(one.account_id, one.region)] += len(one.values)
    assert {(account, region): (status, count) for account, region, status, count in query(
        demo_run, "SELECT account_id, region, status, point_count FROM raw_metrics.collection_slices")} == {
        key: ("ok", count) for key, count in per_slice.items()}
    assert len(per_slice) == 9


def test_the_time_series_server_holds_every_value(demo_run, series) -> None:
    """The run stopped its server; one started on the run's state directory serves what it stored."""
    server = start_embedded_timeseries(demo_run.state_dir)
    try:
        matcher = urllib.parse.urlencode({"match[]": '{__name__="cloudwatch_CPUUtilization"}'})
        with urllib.request.urlopen(f"{server.url}/api/v1/export?{matcher}") as response:
            exported = {(s["metric"]["resource_id"], s["metric"]["namespace"]): significant(s["values"])
                        for s in map(json.loads, response.read().decode().splitlines())}
    finally:
        server.stop()
    cpu = {(one.resource_id, one.namespace): significant(one.values) for one in series if one.metric == "CPUUtilization"}
    assert len(cpu) == 34 + 12  # running instances and databases
    assert exported == cpu


def test_the_overloaded_instance_fires_the_demo_rule_and_says_how_old_its_data_is(demo_run, clock) -> None:
    [overloaded] = [spec for spec, profile in profiles(demo_run.estate) if profile == "overloaded"
                    and spec.resource_type == "ec2_instance"]
    instance_id, _ = demo_run.resource_ids[(*overloaded.key, overloaded.name)]
    alerts = query(demo_run, "SELECT dedup_key, action, severity, summary, details, created_at FROM alerts.outbox "
                             "WHERE source = 'metric_rule'")
    [(key, action, severity, summary, details, created_at)] = alerts
    assert (key, action, severity) == (
        f"metric:ec2-cpu-overloaded:{overloaded.account_id}:{overloaded.region}:{instance_id}", "trigger", "high")
    last_six = [hourly_value("ec2_instance", "CPUUtilization", "overloaded", hour, overloaded)
                for hour in range(HOURS - 6, HOURS)]
    data_end = first_hour(clock.today()) + timedelta(hours=HOURS)  # midnight starting today
    age = round((created_at - data_end) / timedelta(hours=1), 1)
    assert details == {
        "rule": "ec2-cpu-overloaded", "account_id": overloaded.account_id, "region": overloaded.region,
        "resource_type": "ec2_instance", "resource_id": instance_id, "metric": "CPUUtilization",
        "aggregation": "avg", "window_hours": 6, "value": round(sum(last_six) / 6, 4), "threshold": 90.0,
        "comparison": "above", "for_hours": 3, "data_through": data_end.isoformat(), "data_age_hours": age,
    }
    assert f"Data through {data_end:%Y-%m-%d %H:%M} UTC, {age:g} h old." in summary
