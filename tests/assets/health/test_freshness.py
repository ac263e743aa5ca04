"""Freshness SLAs: each source's age from its load records, a stale source an alert in the outbox, resolved once it
loads again."""

from __future__ import annotations

import uuid
from datetime import timedelta

import dagster as dg

from assets.health.freshness_alerts import build_freshness_alert_asset
from assets.resources import WarehouseResource
from cloudforge.clock import Clock
from cloudforge.freshness import source_ages
from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, create_database, ensure_schema

INVENTORY = """
    INSERT INTO raw_aws.sync_slices (account_id, region, resource_type, status, row_count, sync_id, attempted_at,
                                     last_success_at)
    VALUES ('111111111111', 'us-east-1', 'vpc', 'ok', 1, gen_random_uuid(), %(at)s, %(at)s)
"""
BILLING = """
    INSERT INTO raw_billing.load_log (load_id, provider, billing_account_id, billing_period, source_uri, status,
                                      row_count, logged_at)
    VALUES (gen_random_uuid(), 'aws', '1', '2026-01-01', 's3://b/k', %(status)s, 10, %(at)s)
"""


def test_stale_sources_alert_until_they_load_again(warehouse_url: str, clock: Clock) -> None:
    url = create_database(warehouse_url, f"freshness_{uuid.uuid4().hex[:8]}")
    settings = load_settings(clock=clock, metrics={"mode": "disabled"},
                             health={"freshness": {"inventory": 4, "billing": 48}})
    now = clock.now()
    asset = build_freshness_alert_asset(settings, deps=[])
    resources = {"warehouse": WarehouseResource(database_url=url)}
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
        conn.execute(INVENTORY, {"at": now - timedelta(hours=3)})
        conn.execute(BILLING, {"status": "loaded", "at": now - timedelta(hours=50)})
        conn.execute(BILLING, {"status": "quarantined", "at": now - timedelta(hours=1)})  # not a success
        ages = {age.source: age for age in source_ages(conn, settings, now)}
        assert {source: (age.configured, age.is_stale) for source, age in ages.items()} == {
            "inventory": (True, False), "billing": (True, True), "metrics": (False, False),
            "terraform": (False, False)}
        assert round(ages["billing"].age_hours, 6) == 50 and ages["inventory"].describe() == "3.0 h old, SLA 4 h: fresh"

        assert dg.materialize([asset], resources=resources).success
        assert dg.materialize([asset], resources=resources).success  # the same view again: no new alert
        conn.execute(BILLING, {"status": "loaded", "at": now - timedelta(hours=1)})
        assert dg.materialize([asset], resources=resources).success
        alerts = conn.execute("SELECT dedup_key, action, severity, details ->> 'age_hours' FROM alerts.outbox "
                              "ORDER BY alert_id").fetchall()
    assert alerts == [("freshness:billing", "trigger", "medium", "50.0"),
                      ("freshness:billing", "resolve", "medium", "1.0")]
