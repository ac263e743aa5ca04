"""Writing alerts: detectors call `enqueue_alerts`; delivery (notifiers, sensor) reads the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

Severity = Literal["critical", "high", "medium", "low", "info"]

INSERT = """
    INSERT INTO alerts.outbox (dedup_key, action, source, severity, title, summary, details, link)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (dedup_key, action) DO NOTHING
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


def ensure_outbox(conn: psycopg.Connection) -> None:
    """Create the alerts schema and outbox if missing."""
    ddl = resources.files("cloudforge.alerts").joinpath("outbox_schema.sql").read_text()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('cloudforge alerts outbox'))")
        conn.execute(ddl)


def enqueue_alerts(conn: psycopg.Connection, alerts: Iterable[Alert]) -> int:
    """Insert alerts not already in the outbox (same dedup_key and action); returns how many were new."""
    ensure_outbox(conn)
    new = 0
    with conn.transaction(), conn.cursor() as cur:
        for alert in alerts:
            cur.execute(
                INSERT,
                (alert.dedup_key, alert.action, alert.source, alert.severity, alert.title, alert.summary,
                 Jsonb(alert.details), alert.link),
            )
            new += cur.rowcount
    return new
