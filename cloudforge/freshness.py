"""How old each source's last successful load is, against its freshness SLA (``health.freshness``).

Read by `cloudforge status`, the freshness alerts and the Prometheus endpoint. A source that is not configured
(no Terraform state sources, metrics disabled) has no SLA to miss; a configured source that never loaded is
stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

from cloudforge.settings import Settings

LAST_SUCCESS = {
    "inventory": "SELECT max(last_success_at) FROM raw_aws.sync_slices",
    "billing": "SELECT max(logged_at) FROM raw_billing.load_log WHERE status = 'loaded'",
    "metrics": "SELECT max(last_success_at) FROM raw_metrics.collection_slices",
    "terraform": "SELECT max(loaded_at) FROM raw_terraform.states",
}


@dataclass(frozen=True)
class SourceAge:
    source: str
    last_success_at: datetime | None
    sla_hours: float
    configured: bool
    now: datetime

    @property
    def age_hours(self) -> float | None:
        if self.last_success_at is None:
            return None
        return (self.now - self.last_success_at).total_seconds() / 3600

    @property
    def is_stale(self) -> bool:
        return self.configured and (self.age_hours is None or self.age_hours > self.sla_hours)

    def describe(self) -> str:
        if not self.configured:
            return "not configured"
        age = "never loaded" if self.age_hours is None else f"{self.age_hours:.1f} h old"
        return f"{age}, SLA {self.sla_hours:g} h: {'STALE' if self.is_stale else 'fresh'}"


def configured_sources(settings: Settings) -> dict[str, bool]:
    billing = settings.billing.configured or settings.aws.mode == "demo"  # the demo reads its own billing
    return {
        "inventory": True,
        "billing": billing,
        "metrics": settings.metrics.mode != "disabled",
        "terraform": bool(settings.terraform.state_sources),
    }


def source_ages(conn: psycopg.Connection, settings: Settings, now: datetime) -> list[SourceAge]:
    """Every source's age against its SLA (the warehouse's schema must be current: ensure_schema)."""
    configured = configured_sources(settings)
    slas = settings.health.freshness.model_dump()
    return [
        SourceAge(source, conn.execute(query).fetchone()[0], slas[source], configured[source], now)
        for source, query in LAST_SUCCESS.items()
    ]
