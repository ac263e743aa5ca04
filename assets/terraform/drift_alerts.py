"""Drift alerts: security-relevant drift and dangerous unmanaged resources, read from the drift marts into the outbox.

The asset runs after the dbt build and sends its whole current view; the outbox keeps only state changes, so each
condition is triggered once and resolved once when it stops holding. Conditions, by dedup_key:

* ``drift:<resource_key>:<attribute_path>`` while a declared, running resource differs from its state in a
  security-relevant attribute (security group rules, public access, encryption) that no ignore rule covers;
* ``drift-unmanaged:<resource_key>`` while a resource no state declares has an open critical or high finding.

A condition triggered earlier and no longer in the view is resolved.
"""

from __future__ import annotations

import json
from typing import Any

import dagster as dg
import psycopg
from psycopg.rows import dict_row

from assets.resources import WarehouseResource
from cloudforge.alerts.outbox import Alert, enqueue_alerts, enqueue_report
from cloudforge.clock import Clock

SOURCE = "drift"
DRIFT_ATTRIBUTES = dg.AssetKey(["marts", "drift_attributes"])
DRIFT_RESOURCES = dg.AssetKey(["marts", "drift_resources"])
COMPLIANCE_FINDINGS = dg.AssetKey(["marts", "compliance_findings"])
SECURITY_DRIFT = """
    SELECT attributes.resource_key, attributes.account_id, attributes.resource_type, attributes.resource_id,
           attributes.name, attributes.team, attributes.state_uri, attributes.address, attributes.attribute_path,
           attributes.declared_value, attributes.live_value
    FROM marts.drift_attributes AS attributes
    JOIN marts.drift_resources AS resources USING (resource_key)
    WHERE attributes.is_security_relevant AND NOT attributes.is_ignored AND NOT resources.is_ignored
    ORDER BY 1, attributes.attribute_path
"""
FLAGGED_UNMANAGED = """
    SELECT resources.resource_key, resources.account_id, resources.region, resources.resource_type,
           resources.resource_id, resources.name, resources.team,
           array_agg(findings.policy_id || ' ' || findings.policy_title ORDER BY findings.policy_id) AS findings,
           min(CASE findings.severity WHEN 'critical' THEN 0 ELSE 1 END) = 0 AS is_critical
    FROM marts.drift_resources AS resources
    JOIN marts.compliance_findings AS findings ON findings.resource_key = resources.resource_key
    WHERE resources.drift_category = 'unmanaged' AND NOT resources.is_ignored
      AND findings.status = 'open' AND findings.severity IN ('critical', 'high')
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ORDER BY 1
"""
TRIGGERED = """
    SELECT dedup_key FROM (
        SELECT DISTINCT ON (dedup_key) dedup_key, action FROM alerts.outbox WHERE source = %s
        ORDER BY dedup_key, alert_id DESC
    ) AS latest
    WHERE action = 'trigger'
"""


def value(item: Any) -> str:
    return "nothing" if item is None else json.dumps(item)


def security_drift_alert(row: dict[str, Any]) -> Alert:
    path, name = row["attribute_path"], row["name"]
    return Alert(
        dedup_key=f"drift:{row['resource_key']}:{path}",
        source=SOURCE,
        severity="high",
        title=f"Drift: {row['resource_type']} {name} {path} differs from Terraform",
        summary=(f"{row['resource_type']} {name} ({row['resource_id']}, account {row['account_id']}) has {path} = "
                 f"{value(row['live_value'])}, while {row['address']} in {row['state_uri']} declares "
                 f"{value(row['declared_value'])}."),
        details={"resource_key": row["resource_key"], "attribute": path, "team": row["team"],
                 "state": row["state_uri"], "address": row["address"]},
        link="/drift",
    )


def unmanaged_alert(row: dict[str, Any]) -> Alert:
    return Alert(
        dedup_key=f"drift-unmanaged:{row['resource_key']}",
        source=SOURCE,
        severity="critical" if row["is_critical"] else "high",
        title=f"Unmanaged {row['resource_type']} {row['name']} fails {len(row['findings'])} "
              f"{'policy' if len(row['findings']) == 1 else 'policies'}",
        summary=(f"{row['resource_type']} {row['name']} ({row['resource_id']}, account {row['account_id']}, "
                 f"{row['region']}) is declared by no Terraform state and fails: {'; '.join(row['findings'])}."),
        details={"resource_key": row["resource_key"], "team": row["team"], "findings": row["findings"]},
        link="/drift",
    )


def drift_alerts(conn: psycopg.Connection) -> list[Alert]:
    """Every drift condition holding now, triggered, and every one triggered before that no longer holds, resolved."""
    with conn.cursor(row_factory=dict_row) as cur:
        holding = [*map(security_drift_alert, cur.execute(SECURITY_DRIFT).fetchall()),
                   *map(unmanaged_alert, cur.execute(FLAGGED_UNMANAGED).fetchall())]
        keys = {alert.dedup_key for alert in holding}
        stopped = [row["dedup_key"] for row in cur.execute(TRIGGERED, [SOURCE]).fetchall()
                   if row["dedup_key"] not in keys]
    return holding + [Alert(dedup_key=key, source=SOURCE, severity="info", title=f"Resolved: {key}",
                            summary="The condition no longer holds.", link="/drift", action="resolve")
                      for key in stopped]


def build_drift_alert_assets(clock: Clock) -> list[dg.AssetsDefinition]:
    @dg.asset(
        key=dg.AssetKey(["alerts", "drift_alerts"]),
        deps=[DRIFT_ATTRIBUTES, DRIFT_RESOURCES, COMPLIANCE_FINDINGS],
        group_name="alerts",
        description="Security-relevant drift and unmanaged resources with critical or high findings as alerts in "
        "the outbox; each condition triggered once, resolved when it stops holding.",
    )
    def drift_alerts_asset(warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as conn:
            alerts = drift_alerts(conn)
            changes = enqueue_alerts(conn, alerts, clock.now())
        report = enqueue_report(alerts, changes)
        return dg.MaterializeResult(metadata={**report, "holding": dg.MetadataValue.md(report["holding"])})

    return [drift_alerts_asset]
