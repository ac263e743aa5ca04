"""`cloudforge run` on the demo estate: health checks, freshness and savings recommendations, counted from the
demo's own declarations (``demo.estate``, ``demo.health``; the metric-based kinds from ``demo.metrics``)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families
from support.http import free_port, get_when_up

from cloudforge.cli import main
from cloudforge.warehouse import connect
from demo.estate import Estate
from demo.health import healthy_targets, target_group_plan

SEEDS = Path(__file__).parents[2] / "dbt" / "seeds"
NON_METRIC_KINDS = ("unattached_volume", "unassociated_elastic_ip", "old_snapshot", "previous_generation",
                    "stopped_instance")


def expected_health(estate: Estate) -> Counter[tuple[str, str]]:
    """(check kind, status) -> count: both status checks of every running instance, every database (none is
    stopped), every load balancer's running targets, the stopped one left registered, and the two demo
    endpoints."""
    running = sum(spec.attributes["state"] == "running" for spec in estate.of_type("ec2_instance"))
    plan = target_group_plan(estate)
    return Counter({
        ("ec2_instance_status", "healthy"): running,
        ("ec2_system_status", "healthy"): running,
        ("rds_instance_status", "healthy"): len(estate.of_type("rds_instance")),
        ("target_health", "healthy"): healthy_targets(estate),
        ("target_health", "unhealthy"): len(plan.unhealthy),
        ("http_endpoint", "healthy"): 1,  # demo-cloud
        ("http_endpoint", "unhealthy"): 1,  # checkout-api
    })


def expected_non_metric_recommendations(estate: Estate) -> Counter[str]:
    with (SEEDS / "ec2_previous_generation_families.csv").open() as seed:
        older = {row["family"] for row in csv.DictReader(seed)}
    instances = estate.of_type("ec2_instance")
    return Counter({
        "unattached_volume": sum(v.attributes["attached_to"] is None for v in estate.of_type("ebs_volume")),
        "unassociated_elastic_ip": sum(e.attributes["associated_with"] is None for e in estate.of_type("elastic_ip")),
        "old_snapshot": sum(s.age_days > 365 for s in estate.of_type("ebs_snapshot")),
        "previous_generation": sum(i.attributes["instance_type"].split(".")[0] in older for i in instances),
        "stopped_instance": sum(i.attributes["state"] == "stopped" for i in instances),  # each keeps its root volume
    })


def test_health_status_has_the_failing_target_and_endpoint(demo_run) -> None:
    with connect(demo_run.url) as conn:
        rows = conn.execute("SELECT check_kind, status, count(*) FROM marts.health_status GROUP BY 1, 2").fetchall()
        failing = conn.execute("""
            SELECT h.check_kind, h.account_id, h.region, r.state, h.detail
            FROM marts.health_status h LEFT JOIN marts.resources r USING (resource_key)
            WHERE h.is_failing ORDER BY h.check_kind
        """).fetchall()
    assert Counter({(kind, status): count for kind, status, count in rows}) == expected_health(demo_run.estate)
    balancer = target_group_plan(demo_run.estate).load_balancer
    assert failing == [
        ("http_endpoint", None, None, None, "HTTP 404, expected 200"),
        ("target_health", balancer.account_id, balancer.region, "stopped", "unused: Target is in the stopped state"),
    ]


def test_recommendations_of_the_kinds_the_inventory_decides(demo_run) -> None:
    with connect(demo_run.url) as conn:
        rows = conn.execute("""
            SELECT kind, count(*), count(*) FILTER (WHERE saving_source = 'billing' AND monthly_saving > 0),
                   count(*) FILTER (WHERE status = 'open')
            FROM marts.recommendations WHERE kind = ANY(%s) GROUP BY kind
        """, [list(NON_METRIC_KINDS)]).fetchall()
    expected = expected_non_metric_recommendations(demo_run.estate)
    assert {kind: count for kind, count, _, _ in rows} == {kind: n for kind, n in expected.items() if n}
    assert all(billed == count == open_ for kind, count, billed, open_ in rows if kind != "previous_generation")


def test_recommendations_of_the_kinds_the_metrics_decide(demo_run) -> None:
    """The demo metrics' declared profiles (demo.metrics, from the metrics branch): idle instances, low-CPU
    instances whose type has a smaller size in the price seed, the database without connections and the idle load
    balancer."""
    metrics = pytest.importorskip("demo.metrics", reason="the demo's CloudWatch metrics come with the metrics branch")
    with (SEEDS / "aws_instance_prices.csv").open() as seed:
        prices = list(csv.DictReader(seed))
    ranks = {(p["family"], int(p["size_rank"])) for p in prices}
    rank_of = {p["instance_type"]: (p["family"], int(p["size_rank"])) for p in prices}
    profiled = metrics.profiles(demo_run.estate)

    def has_smaller(spec) -> bool:
        family, rank = rank_of[spec.attributes["instance_type"]]
        return (family, rank - 1) in ranks

    expected = Counter({
        "idle_instance": sum(s.resource_type == "ec2_instance" and p == "idle" for s, p in profiled),
        "rightsizing": sum(s.resource_type == "ec2_instance" and p == "low" and has_smaller(s) for s, p in profiled),
        "idle_database": sum(s.resource_type == "rds_instance" and p == "unused" for s, p in profiled),
        "idle_load_balancer": sum(s.resource_type == "load_balancer" and p == "idle" for s, p in profiled),
    })
    with connect(demo_run.url) as conn:
        rows = conn.execute("""
            SELECT kind, count(*) FROM marts.recommendations WHERE NOT (kind = ANY(%s)) GROUP BY kind
        """, [list(NON_METRIC_KINDS)]).fetchall()
    assert Counter(dict(rows)) == expected


def test_status_shows_each_sources_age_against_its_sla(demo_run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", demo_run.url)
    output = CliRunner().invoke(main, ["status"], catch_exceptions=False).output
    freshness = output[output.index("freshness\n"):].splitlines()
    assert [line.split()[0] for line in freshness[1:]] == ["inventory", "billing", "metrics", "terraform"]
    assert freshness[1].endswith("SLA 26 h: fresh") and freshness[2].endswith("SLA 48 h: fresh")
    assert freshness[4] == "  terraform    not configured"


def test_metrics_serve_exposes_the_marts_figures(demo_run) -> None:
    """`cloudforge metrics serve` on loopback, scraped over HTTP and parsed with prometheus_client's parser: every
    figure equals the marts'."""
    port = free_port()
    environment = {**os.environ, "CLOUDFORGE_DATABASE_URL": demo_run.url}
    command = [str(Path(sys.executable).with_name("cloudforge")), "metrics", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        text = get_when_up(f"http://127.0.0.1:{port}/metrics")
    finally:
        server.terminate()
        assert server.wait(15) == 128 + signal.SIGTERM  # stopped by the signal, within seconds
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}

    def scraped(name: str, *labels: str) -> dict[tuple, float]:
        return {tuple(dict(key)[label] for label in labels): value
                for (metric, key), value in samples.items() if metric == name}

    with connect(demo_run.url) as conn:
        costs = conn.execute("""
            SELECT coalesce(allocated_team, 'shared'), provider, billing_currency, sum(actual_cost)::float8,
                   sum(forecast_cost)::float8
            FROM marts.cost_forecast WHERE is_current_month AND cost_measure = 'effective_cost' GROUP BY 1, 2, 3
        """).fetchall()
        findings = dict(conn.execute("SELECT severity, count(*) FROM marts.compliance_findings "
                                     "WHERE status = 'open' GROUP BY 1").fetchall())
        savings = dict(conn.execute("SELECT kind, sum(monthly_saving)::float8 FROM marts.recommendations "
                                    "WHERE status = 'open' GROUP BY 1").fetchall())
        deliveries = conn.execute("SELECT channel, status, count(*) FROM alerts.deliveries GROUP BY 1, 2").fetchall()
        refused_billing = conn.execute("SELECT count(*) FROM marts.billing_slice_status "
                                       "WHERE latest_status IN ('quarantined', 'failed')").fetchone()[0]
    assert costs and findings and savings
    assert scraped("cloudforge_cost_month_to_date", "team", "provider", "currency") == \
        {(team, provider, currency): actual for team, provider, currency, actual, _ in costs}
    assert scraped("cloudforge_cost_forecast", "team", "provider", "currency") == \
        {(team, provider, currency): forecast for team, provider, currency, _, forecast in costs}
    assert scraped("cloudforge_open_findings", "severity") == {(severity,): n for severity, n in findings.items()}
    assert scraped("cloudforge_recommendations_monthly_saving", "kind") == \
        {(kind,): pytest.approx(saving) for kind, saving in savings.items()}
    assert scraped("cloudforge_alert_deliveries", "channel", "outcome") == \
        {(channel, outcome): n for channel, outcome, n in deliveries}
    assert scraped("cloudforge_source_freshness_sla_seconds", "source") == \
        {("inventory",): 26 * 3600, ("billing",): 48 * 3600, ("metrics",): 2 * 3600}
    assert scraped("cloudforge_source_stale", "source")[("inventory",)] == 0
    failed = scraped("cloudforge_sync_failed_slices", "source")
    assert set(failed) == {("inventory",), ("billing",), ("metrics",), ("health",), ("terraform",)}
    assert (failed[("inventory",)], failed[("health",)], failed[("billing",)]) == (0, 0, refused_billing)
    assert all(len(dict(key)) <= 3 for (_, key) in samples)  # low cardinality: never a resource or account label
