"""Writing alerts: detectors call `enqueue_alerts`; delivery (notifiers, sensor) reads the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

from cloudforge.warehouse import ensure_schema

Severity = Literal["critical", "high", "medium", "low", "info"]

# A state change only: the condition's latest action differs (no row yet counts as resolved).
INSERT = """
    INSERT INTO alerts.outbox (dedup_key, action, source, severity, title, summary, details, link, created_at)
    SELECT %(dedup_key)s, %(action)s, %(source)s, %(severity)s, %(title)s, %(summary)s, %(details)s, %(link)s,
           %(now)s
    WHERE coalesce(
        (SELECT action FROM alerts.outbox WHERE dedup_key = %(dedup_key)s ORDER BY alert_id DESC LIMIT 1),
        'resolve'
    ) <> %(action)s
"""


@dataclass(frozen=True)
class Alert:
    """One condition worth telling someone about. ``dedup_key`` names the condition, not the run."""

    dedup_key: str
    source: str
    severity: Severity
    title: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    link: str | None = None
    action: Literal["trigger", "resolve"] = "trigger"


def enqueue_alerts(conn: psycopg.Connection, alerts: Iterable[Alert], now: datetime) -> int:
    """Insert the alerts that change their condition's state (trigger an untriggered one, resolve a
    triggered one), created at ``now`` (the clock's: delivery judges their age by it); returns how many were
    new. Detectors may therefore send their whole current view."""
    ensure_schema(conn)
    new = 0
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('cloudforge alerts enqueue'))")
        for alert in alerts:
            cur.execute(INSERT, {**asdict(alert), "details": Jsonb(alert.details), "now": now})
            new += cur.rowcount
    return new


def enqueue_report(alerts: list[Alert], changes: int) -> dict[str, Any]:
    """What a detector asset reports after ``enqueue_alerts``: conditions holding, state changes, and which hold
    (Markdown)."""
    holding = [f"- {alert.severity}: {alert.title}" for alert in alerts if alert.action == "trigger"]
    return {"conditions_holding": len(holding), "state_changes": changes, "holding": "\n".join(holding) or "none"}
