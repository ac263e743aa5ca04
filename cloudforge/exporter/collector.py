"""The figures `cloudforge metrics serve` exposes, read from the warehouse at every scrape, so they always equal the
marts: cost month to date and forecast per team and provider, open findings per severity, open recommendations and
their monthly saving, each source's age against its freshness SLA, failed slices per source, the last policy run's
duration, and alert deliveries per channel and outcome.

Labels are low-cardinality on purpose (team, provider, currency, severity, kind, source, channel, outcome): never a
resource, account or alert. A figure whose mart is not built yet is left out, not reported as zero.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from cloudforge.freshness import source_ages
from cloudforge.settings import Settings
from cloudforge.warehouse import connect

COSTS = """
    SELECT coalesce(allocated_team, 'shared'), provider, billing_currency, sum(actual_cost), sum(forecast_cost)
    FROM marts.cost_forecast
    WHERE is_current_month AND cost_measure = 'effective_cost'
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
FINDINGS = "SELECT severity, count(*) FROM marts.compliance_findings WHERE status = 'open' GROUP BY 1 ORDER BY 1"
RECOMMENDATIONS = """
    SELECT kind, currency, count(*), sum(monthly_saving) FROM marts.recommendations WHERE status = 'open'
    GROUP BY 1, 2 ORDER BY 1, 2
"""
FAILED_SLICES = {
    "inventory": "SELECT count(*) FROM raw_aws.sync_slices WHERE status = 'failed'",
    "billing": """SELECT count(*) FROM (SELECT DISTINCT ON (provider, billing_account_id, billing_period) status
                  FROM raw_billing.load_log WHERE provider IS NOT NULL
                  ORDER BY provider, billing_account_id, billing_period, logged_at DESC) AS latest
                  WHERE status IN ('quarantined', 'failed')""",
    "metrics": "SELECT count(*) FROM raw_metrics.collection_slices WHERE status = 'failed'",
    "health": "SELECT count(*) FROM raw_health.check_slices WHERE status = 'failed'",
    "terraform": "SELECT count(*) FROM raw_terraform.states WHERE status = 'failed'",
}
POLICY_RUN = "SELECT duration_seconds FROM raw_policies.evaluation_runs ORDER BY evaluated_at DESC LIMIT 1"
DELIVERIES = "SELECT channel, status, count(*) FROM alerts.deliveries GROUP BY 1, 2 ORDER BY 1, 2"


def rows(conn: psycopg.Connection, statement: str) -> list[tuple]:
    """The statement's rows; none when its table does not exist yet (the connection is in autocommit)."""
    try:
        return conn.execute(statement).fetchall()
    except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName, psycopg.errors.UndefinedColumn):
        return []


class WarehouseCollector(Collector):
    """Reads every figure from the warehouse at ``url`` when Prometheus scrapes."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.url, self.settings = url, settings

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with connect(self.url, autocommit=True) as conn:
            yield from self.costs(conn)
            yield from self.findings(conn)
            yield from self.recommendations(conn)
            yield from self.sources(conn)
            yield from self.deliveries(conn)

    def costs(self, conn: psycopg.Connection) -> Iterator[GaugeMetricFamily]:
        labels = ["team", "provider", "currency"]
        actual = GaugeMetricFamily("cloudforge_cost_month_to_date", "Cost of the current month so far (effective "
                                   "cost, allocated; 'shared' for shared pools)", labels=labels)
        forecast = GaugeMetricFamily("cloudforge_cost_forecast", "End-of-month cost forecast of the current month",
                                     labels=labels)
        for team, provider, currency, month_to_date, month_forecast in rows(conn, COSTS):
            actual.add_metric([team, provider, currency], float(month_to_date))
            forecast.add_metric([team, provider, currency], float(month_forecast))
        yield from (actual, forecast)

    def findings(self, conn: psycopg.Connection) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("cloudforge_open_findings", "Open policy findings", labels=["severity"])
        for severity, count in rows(conn, FINDINGS):
            family.add_metric([severity], count)
        yield family

    def recommendations(self, conn: psycopg.Connection) -> Iterator[GaugeMetricFamily]:
        count = GaugeMetricFamily("cloudforge_open_recommendations", "Open savings recommendations", labels=["kind"])
        saving = GaugeMetricFamily("cloudforge_recommendations_monthly_saving",
                                   "Estimated monthly saving of the open recommendations", labels=["kind", "currency"])
        for kind, currency, open_count, monthly_saving in rows(conn, RECOMMENDATIONS):
            count.add_metric([kind], open_count)
            saving.add_metric([kind, currency], float(monthly_saving))
        yield from (count, saving)

    def sources(self, conn: psycopg.Connection) -> Iterator[GaugeMetricFamily]:
        age = GaugeMetricFamily("cloudforge_source_age_seconds", "Time since the source last loaded successfully",
                                labels=["source"])
        sla = GaugeMetricFamily("cloudforge_source_freshness_sla_seconds", "The source's freshness SLA",
                                labels=["source"])
        stale = GaugeMetricFamily("cloudforge_source_stale", "1 when the source is older than its SLA",
                                  labels=["source"])
        try:
            ages = source_ages(conn, self.settings, self.settings.clock.now())
        except psycopg.errors.UndefinedTable:  # a warehouse not yet migrated
            ages = []
        for source in (a for a in ages if a.configured):
            if source.age_hours is not None:
                age.add_metric([source.source], source.age_hours * 3600)
            sla.add_metric([source.source], source.sla_hours * 3600)
            stale.add_metric([source.source], int(source.is_stale))
        failed = GaugeMetricFamily("cloudforge_sync_failed_slices", "Slices whose latest load failed (or was "
                                   "quarantined), per source", labels=["source"])
        for source, statement in FAILED_SLICES.items():
            for (count,) in rows(conn, statement):
                failed.add_metric([source], count)
        duration = GaugeMetricFamily("cloudforge_sync_duration_seconds", "Duration of the source's latest run, where "
                                     "it is recorded", labels=["source"])
        for (seconds,) in rows(conn, POLICY_RUN):
            duration.add_metric(["policies"], seconds)
        yield from (age, sla, stale, failed, duration)

    def deliveries(self, conn: psycopg.Connection) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("cloudforge_alert_deliveries", "Alert deliveries per channel and outcome",
                                   labels=["channel", "outcome"])
        for channel, outcome, count in rows(conn, DELIVERIES):
            family.add_metric([channel, outcome], count)
        yield family
