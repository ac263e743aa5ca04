"""Cost alerts: budget thresholds crossed and cost anomalies, read from the marts into the alerts outbox.

The asset runs after the dbt build (it depends on ``marts.budget_status`` and ``marts.cost_anomalies``) and sends
its whole current view; the outbox keeps only state changes, so each condition is triggered once and resolved
once when it stops holding. Conditions, by dedup_key:

* ``budget:<scope>:<name>:<YYYY-MM>:<threshold>:actual`` while the month's actual cost has reached the
  threshold, ``...:forecast`` while only the forecast does; resolved when that stops, and when the month is over;
* ``anomaly:<team>:<service>:<YYYY-MM-DD>`` for an anomaly of the last ``costs.anomalies.alert_days`` days of
  billing data, resolved once it is older.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import dagster as dg
import psycopg
from psycopg.rows import dict_row

from assets.resources import WarehouseResource
from cloudforge.alerts.outbox import Alert, Severity, enqueue_alerts, enqueue_report
from cloudforge.clock import Clock
from cloudforge.settings import CostSettings

BUDGET_STATUS = dg.AssetKey(["marts", "budget_status"])
COST_ANOMALIES = dg.AssetKey(["marts", "cost_anomalies"])

# This month and the last: the current view, and the month whose conditions the rollover resolves.
BUDGETS = """
    SELECT budget_scope, budget_name, currency, budget_month, is_current_month, through_day, monthly_amount,
           thresholds, actual_cost, forecast_cost, actual_percent, forecast_percent, actual_thresholds_crossed,
           forecast_thresholds_crossed
    FROM marts.budget_status
    WHERE budget_month >= (SELECT date_trunc('month', max(budget_month) - interval '1 month') FROM marts.budget_status)
    ORDER BY budget_id, budget_month
"""
# Anomalies of twice the alert window: the recent ones trigger, the older ones resolve.
ANOMALIES = """
    SELECT charge_day, charge_day > latest.day - %(alert_days)s AS is_recent, provider, billing_currency, team,
           service_name, effective_cost, baseline_cost, deviation, impact
    FROM marts.cost_anomalies
    CROSS JOIN (SELECT max(charge_day) AS day FROM marts.cost_daily) AS latest
    WHERE charge_day > latest.day - 2 * %(alert_days)s
    ORDER BY charge_day, team, service_name, provider
"""


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def budget_alerts(budget: Mapping[str, Any]) -> list[Alert]:
    """Per threshold an actual and a forecast condition: triggered while crossed in the current month (the
    forecast one only while the actual one is not), resolved otherwise."""
    scope, name = budget["budget_scope"], budget["budget_name"]
    currency, month = budget["currency"], budget["budget_month"]
    actual = set(budget["actual_thresholds_crossed"]) if budget["is_current_month"] else set()
    forecast = set(budget["forecast_thresholds_crossed"]) - actual if budget["is_current_month"] else set()
    summary = (
        f"{scope} {name} has spent {money(budget['actual_cost'], currency)} of its "
        f"{money(budget['monthly_amount'], currency)} budget for {month:%B %Y} ({budget['actual_percent']} %) "
        f"as of {budget['through_day']:%Y-%m-%d}; the month is forecast to end at "
        f"{money(budget['forecast_cost'], currency)} ({budget['forecast_percent']} %)."
    )
    return [
        Alert(
            dedup_key=f"budget:{scope}:{name}:{month:%Y-%m}:{threshold}:{kind}",
            source="budget",
            severity=budget_severity(threshold, kind == "actual"),
            title=f"Budget {scope} {name}: {threshold} % {'reached' if kind == 'actual' else 'forecast'} "
                  f"in {month:%B %Y}",
            summary=summary,
            details={
                "budget": f"{scope}:{name}",
                "month": f"{month:%Y-%m}",
                "threshold_percent": threshold,
                "crossed_by": kind,
                "actual_cost": float(budget["actual_cost"]),
                "forecast_cost": float(budget["forecast_cost"]),
                "budget_amount": float(budget["monthly_amount"]),
                "currency": currency,
            },
            link="/budgets",
            action="trigger" if threshold in crossed else "resolve",
        )
        for threshold in budget["thresholds"]
        for kind, crossed in (("actual", actual), ("forecast", forecast))
    ]


def budget_severity(threshold: int, reached: bool) -> Severity:
    """Overspending is high once it has happened, medium while forecast; lower thresholds one step lower."""
    if threshold >= 100:
        return "high" if reached else "medium"
    return "medium" if reached else "low"


def anomaly_alert(anomaly: Mapping[str, Any], min_impact: Decimal) -> Alert:
    """High when the impact is ten times the minimum that counts, else medium; resolved once not recent."""
    team, service, day = anomaly["team"], anomaly["service_name"], anomaly["charge_day"]
    currency, deviation = anomaly["billing_currency"], anomaly["deviation"]
    spread = f"{deviation} robust standard deviations" if deviation is not None else "a series that never varies"
    return Alert(
        dedup_key=f"anomaly:{team}:{service}:{day:%Y-%m-%d}",
        source="cost_anomaly",
        severity="high" if anomaly["impact"] >= 10 * min_impact else "medium",
        title=f"Cost anomaly: {service} for team {team} on {day:%Y-%m-%d}",
        summary=(
            f"{service} ({anomaly['provider']}) cost team {team} {money(anomaly['effective_cost'], currency)} on "
            f"{day:%A %Y-%m-%d}, {money(anomaly['impact'], currency)} above its usual "
            f"{money(anomaly['baseline_cost'], currency)} for a {day:%A} ({spread})."
        ),
        details={
            "team": team,
            "service": service,
            "provider": anomaly["provider"],
            "day": f"{day:%Y-%m-%d}",
            "cost": float(anomaly["effective_cost"]),
            "baseline": float(anomaly["baseline_cost"]),
            "impact": float(anomaly["impact"]),
            "currency": currency,
        },
        link="/anomalies",
        action="trigger" if anomaly["is_recent"] else "resolve",
    )


def cost_alerts(conn: psycopg.Connection, costs: CostSettings) -> list[Alert]:
    """Every budget and anomaly condition the marts show now, each triggered or resolved."""
    with conn.cursor(row_factory=dict_row) as cur:
        budgets = cur.execute(BUDGETS).fetchall()
        anomalies = cur.execute(ANOMALIES, {"alert_days": costs.anomalies.alert_days}).fetchall()
    return [
        *(alert for budget in budgets for alert in budget_alerts(budget)),
        *(anomaly_alert(anomaly, costs.anomalies.min_impact) for anomaly in anomalies),
    ]


def build_cost_alert_assets(costs: CostSettings, clock: Clock) -> list[dg.AssetsDefinition]:
    """The cost alerts asset, judging budgets and anomalies by ``costs`` (the settings' ``costs``); alerts are
    stamped by ``clock``."""

    @dg.asset(
        key=dg.AssetKey(["alerts", "cost_alerts"]),
        deps=[BUDGET_STATUS, COST_ANOMALIES],
        group_name="alerts",
        description="Budget thresholds crossed (actual and forecast) and recent cost anomalies as alerts in the "
        "outbox for the delivery sensor; each condition triggered once, resolved when it stops holding.",
    )
    def cost_alerts_asset(warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as conn:
            alerts = cost_alerts(conn, costs)
            changes = enqueue_alerts(conn, alerts, clock.now())
        report = enqueue_report(alerts, changes)
        return dg.MaterializeResult(metadata={**report, "holding": dg.MetadataValue.md(report["holding"])})

    return [cost_alerts_asset]
