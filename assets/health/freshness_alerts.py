"""Freshness alerts: a source whose last successful load is older than its SLA is an alert in the outbox
(``freshness:<source>``), resolved once the source loads again."""

from __future__ import annotations

import dagster as dg

from assets.resources import WarehouseResource
from cloudforge.alerts.outbox import Alert, enqueue_alerts
from cloudforge.freshness import SourceAge, source_ages
from cloudforge.settings import Settings
from cloudforge.warehouse import ensure_schema


def freshness_alert(age: SourceAge) -> Alert:
    last = age.last_success_at.isoformat(timespec="minutes") if age.last_success_at else "never"
    return Alert(
        dedup_key=f"freshness:{age.source}",
        source="freshness",
        severity="medium",
        title=f"Stale source: {age.source}",
        summary=f"{age.source} last loaded successfully {last}; its freshness SLA is {age.sla_hours:g} h "
                f"({age.describe()}).",
        details={"source": age.source, "last_success_at": last, "age_hours":
                 None if age.age_hours is None else round(age.age_hours, 1), "sla_hours": age.sla_hours},
        link="/health",
        action="trigger" if age.is_stale else "resolve",
    )


def build_freshness_alert_asset(settings: Settings, deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The freshness alerts asset, run after the ingestion assets ``deps``."""

    @dg.asset(
        key=dg.AssetKey(["alerts", "freshness_alerts"]),
        deps=deps,
        group_name="alerts",
        description="Sources older than their freshness SLA (health.freshness) as alerts in the outbox; "
        "resolved when they load again.",
    )
    def freshness_alerts(warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as conn:
            ensure_schema(conn)
            ages = [age for age in source_ages(conn, settings, settings.clock.now()) if age.configured]
            changes = enqueue_alerts(conn, [freshness_alert(age) for age in ages], settings.clock.now())
        return dg.MaterializeResult(metadata={
            "stale": dg.MetadataValue.text(", ".join(a.source for a in ages if a.is_stale) or "none"),
            "state_changes": changes,
        })

    return freshness_alerts
