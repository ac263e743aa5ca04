"""The monitoring marts built by dbt over the hand-built inventory, metric rollups written from a declared pattern
(until the metrics collection fills raw_metrics.rollups), and health checks recorded through the health store."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from dagster import AssetKey, AssetSelection
from dbt_raw_inventory import A, B, REQUIRED_TAGS, load_raw_inventory

from assets.health.store import CheckResult, record_slice
from cloudforge.alerts.outbox import Alert, enqueue_alerts
from cloudforge.settings import RecommendationDismissal, RecommendationSettings, load_settings
from cloudforge.warehouse import connect, create_database
from cloudforge.warehouse.reader import grant_reader
from support.browser import screenshot_when_shown, served_dashboards
from support.pages import metrics, run_page, table_with
from tests.dbt.conftest import build

MONITORING_MARTS = ("recommendations", "health_status", "health_history", "firing_alerts")

# resource (account, region, type, id) -> metric -> hourly average, constant over the 14 days before today
PATTERN = {
    (A, "us-east-1", "ec2_instance", "i-0a1"): {"CPUUtilization": 12.0, "NetworkIn": 40e6, "NetworkOut": 2e6},
    (B, "eu-west-1", "ec2_instance", "i-0b1"): {"CPUUtilization": 2.0, "NetworkIn": 10_000.0, "NetworkOut": 10_000.0},
    (B, "eu-west-1", "rds_instance", "orders-db"): {"DatabaseConnections": 0.0},
    (B, "eu-west-1", "load_balancer", "web-lb"): {"RequestCount": 0.0},
}
NAMESPACES = {"ec2_instance": "AWS/EC2", "rds_instance": "AWS/RDS", "load_balancer": "AWS/ApplicationELB"}


def rollup_rows(today: datetime) -> list[tuple]:
    """Hourly rollups of PATTERN for every hour of the 14 days before today (one sample a minute, so an hour's sum
    is 60 times its average)."""
    start = today - timedelta(days=14)
    return [
        (account, region, kind, resource_id, NAMESPACES[kind], metric, "hour", start + timedelta(hours=h), 60,
         value, value, value, value * 60, today)
        for (account, region, kind, resource_id), metrics in PATTERN.items()
        for metric, value in metrics.items()
        for h in range(14 * 24)
    ]


def load_rollups(url: str, today: datetime) -> None:
    columns = "account_id, region, resource_type, resource_id, namespace, metric, period, bucket_start, samples, " \
              "avg, p95, max, sum, loaded_at"
    with connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY raw_metrics.rollups ({columns}) FROM STDIN") as copy:
            for row in rollup_rows(today):
                copy.write_row(row)


def check(kind: str, account: str | None, region: str | None, resource_id: str, status: str,
          resource_type: str | None = "ec2_instance", target: str | None = None) -> CheckResult:
    return CheckResult(kind, account, region, resource_type if account else None, resource_id, target or resource_id,
                       status, status)


@pytest.fixture(scope="module")
def monitoring_url(warehouse_url: str, clock) -> str:
    url = create_database(warehouse_url, "dbt_monitoring")
    load_raw_inventory(url)
    today = datetime.combine(clock.today(), time(), UTC)
    with connect(url) as conn:
        load_rollups(url, today)
        earlier, later = today - timedelta(hours=2), today - timedelta(hours=1)
        # us-east-1 of A: an older collection (i-0a1 impaired), then the current one (healthy)
        record_slice(conn, f"aws/{A}/us-east-1", [check("ec2_instance_status", A, "us-east-1", "i-0a1", "unhealthy")],
                     earlier)
        record_slice(conn, f"aws/{A}/us-east-1", [check("ec2_instance_status", A, "us-east-1", "i-0a1", "healthy"),
                                                  check("ec2_system_status", A, "us-east-1", "i-0a1", "healthy")], later)
        # eu-west-1 of B: the last good collection had an unhealthy target; the latest attempt failed
        record_slice(conn, f"aws/{B}/eu-west-1", [
            check("target_health", B, "eu-west-1", "i-0b1", "unhealthy", target="arn:tg"),
            check("rds_instance_status", B, "eu-west-1", "orders-db", "healthy", resource_type="rds_instance"),
        ], earlier)
        record_slice(conn, f"aws/{B}/eu-west-1", None, later, "Throttling: slow down")
        # the endpoint: healthy, then failing
        record_slice(conn, "endpoints", [check("http_endpoint", None, None, "shop", "healthy")], earlier)
        record_slice(conn, "endpoints", [check("http_endpoint", None, None, "shop", "unhealthy")], later)
        stale = Alert("freshness:billing", "freshness", "medium", "Stale source: billing", "billing is 50 h old")
        enqueue_alerts(conn, [stale, Alert("freshness:metrics", "freshness", "medium", "Stale source: metrics",
                                           "metrics are 3 h old")], earlier)
        enqueue_alerts(conn, [Alert("freshness:metrics", "freshness", "medium", "Stale source: metrics",
                                    "metrics are fresh", action="resolve")], later)
    settings = load_settings(tags={"required": REQUIRED_TAGS}, recommendations=RecommendationSettings(
        dismissals=[RecommendationDismissal(kind="unassociated_elastic_ip", resource_id="eipalloc-1",
                                            reason="kept for the DR drill", expires_on=clock.today())]))
    marts = AssetSelection.assets(*(AssetKey(["marts", name]) for name in MONITORING_MARTS))
    result = build(url, settings, marts.upstream())
    assert result.success
    return url


def test_recommendations_of_the_pattern_and_the_inventory(monitoring_url: str) -> None:
    with connect(monitoring_url) as conn:
        rows = conn.execute("""
            SELECT kind, resource_id, team, monthly_saving::text, saving_source, status, evidence
            FROM marts.recommendations ORDER BY kind, resource_id
        """).fetchall()
    assert [row[:6] for row in rows] == [
        ("idle_database", "orders-db", "payments", "49.64", "price_table", "open"),
        ("idle_instance", "i-0b1", "data", "70.08", "price_table", "open"),
        ("idle_load_balancer", "web-lb", "payments", "16.43", "price_table", "open"),
        ("old_snapshot", "snap-1", None, "5.00", "price_table", "open"),
        ("rightsizing", "i-0a1", "payments", "30.37", "price_table", "open"),
        ("unassociated_elastic_ip", "eipalloc-1", "net", "3.65", "price_table", "dismissed"),
    ]
    evidence = {row[0]: row[6] for row in rows}
    assert evidence["rightsizing"] == {"cpu_p95_percent": 12.0, "instance_type": "t3.large",
                                       "suggested_instance_type": "t3.medium", "lookback_days": 14}
    assert evidence["idle_instance"] == {"cpu_p95_percent": 2.0, "network_bytes_per_day": 28800000,
                                         "lookback_days": 14}


def test_health_status_is_each_slices_latest_success_and_each_endpoints_latest(monitoring_url: str) -> None:
    with connect(monitoring_url) as conn:
        status = conn.execute("""
            SELECT check_kind, resource_id, status, is_failing, team FROM marts.health_status
            ORDER BY check_kind, resource_id
        """).fetchall()
        history = conn.execute("SELECT count(*) FROM marts.health_history").fetchone()[0]
    assert status == [
        ("ec2_instance_status", "i-0a1", "healthy", False, "payments"),
        ("ec2_system_status", "i-0a1", "healthy", False, "payments"),
        ("http_endpoint", "shop", "unhealthy", True, None),
        ("rds_instance_status", "orders-db", "healthy", False, "payments"),
        ("target_health", "i-0b1", "unhealthy", True, "data"),
    ]
    assert history == 7


def test_firing_alerts_are_the_conditions_whose_latest_change_is_a_trigger(monitoring_url: str) -> None:
    with connect(monitoring_url) as conn:
        firing = conn.execute("SELECT dedup_key, title FROM marts.firing_alerts").fetchall()
    assert firing == [("freshness:billing", "Stale source: billing")]


def test_recommendations_page_lists_open_ones_by_saving_and_exports_them(monitoring_url: str, monkeypatch) -> None:
    app = run_page(monitoring_url, "recommendations", monkeypatch)
    assert metrics(app) == {"Open recommendations": ("5", None), "Open savings a month": ("171.52 USD", None)}
    table = table_with(app, "monthly_saving")
    assert list(zip(table["kind"], table["resource_id"], table["monthly_saving"].astype(str))) == [
        ("idle_instance", "i-0b1", "70.08"), ("idle_database", "orders-db", "49.64"),
        ("rightsizing", "i-0a1", "30.37"), ("idle_load_balancer", "web-lb", "16.43"),
        ("old_snapshot", "snap-1", "5.00")]
    assert [button.label for button in app.get("download_button")] == ["Download CSV"]

    everything = run_page(monitoring_url, "recommendations", monkeypatch, recommend_status=[])
    assert len(table_with(everything, "monthly_saving")) == 6
    idle = run_page(monitoring_url, "recommendations", monkeypatch, recommend_kind=["idle_instance"],
                    recommend_status=[])
    assert list(table_with(idle, "monthly_saving")["resource_id"]) == ["i-0b1"]


def test_health_page_shows_failing_checks_and_firing_alerts(monitoring_url: str, monkeypatch) -> None:
    app = run_page(monitoring_url, "health", monkeypatch)
    assert metrics(app) == {"Current checks": ("5", None), "Failing": ("2", None)}
    assert sorted(table_with(app, "detail")["resource_id"]) == ["i-0b1", "shop"]
    assert list(table_with(app, "triggered_at")["title"]) == ["Stale source: billing"]
    by = table_with(app, "healthy")
    assert by[["account_id", "resource_type", "healthy", "unhealthy"]].values.tolist() == [
        ["", "endpoint", 0, 1], [A, "ec2_instance", 2, 0], [B, "ec2_instance", 0, 1], [B, "rds_instance", 1, 0]]


# Tables are drawn on a canvas, so the check looks for the figures above them.
@pytest.mark.parametrize(("page", "shows"), [("health", "Failing\n\n2"), ("recommendations", "171.52 USD")])
def test_pages_render_in_a_headless_browser(monitoring_url: str, page: str, shows: str, tmp_path: Path) -> None:
    """The app served by Streamlit, opened by headless Chromium: the page draws its title and figures, and its
    screenshot is taken."""
    shot = tmp_path / f"{page}.png"
    with served_dashboards(grant_reader(monitoring_url)) as dashboards:
        text = screenshot_when_shown(f"{dashboards}/{page}", shows, shot)
    assert "Traceback" not in text
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
