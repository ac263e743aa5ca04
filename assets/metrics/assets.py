"""Dagster wrappers for the metrics: ``raw_metrics/rollups`` (collection, after the inventory), its check on
failed slices, and ``alerts/metric_alerts`` (the alert rules over the rollups, after each collection)."""

from dataclasses import asdict

import dagster as dg

from assets.aws.assets import RESOURCES_KEY
from assets.aws.resource import AwsInventoryResource
from assets.metrics.alerts import metric_alerts
from assets.metrics.collection import CollectionReport, collect_metrics
from assets.resources import WarehouseResource
from cloudforge.alerts.outbox import enqueue_alerts
from cloudforge.clock import Clock
from cloudforge.metrics.writer import MetricsWriteError, MetricsWriter
from cloudforge.settings import MetricsSettings

ROLLUPS_KEY = dg.AssetKey(["raw_metrics", "rollups"])
FAILED_SLICES = """
    SELECT account_id, region, message, attempted_at::text, last_success_at::text
    FROM raw_metrics.collection_slices WHERE status = 'failed' ORDER BY 1, 2
"""


def writer_for(metrics: MetricsSettings) -> MetricsWriter:
    """The writer of the configured time-series server, or a ``Failure`` saying why there is none."""
    if metrics.mode == "disabled":
        raise dg.Failure("metrics.mode is disabled: there is no time-series server to collect metrics into "
                         "(set CLOUDFORGE_METRICS__MODE to embedded or influxdb)")
    if not metrics.url:
        raise dg.Failure("no time-series server URL: the local stack sets CLOUDFORGE_METRICS__URL when it starts "
                         "the embedded one; otherwise set it (metrics.url)")
    token = metrics.token.get_secret_value() if metrics.token else None
    return MetricsWriter(metrics.url, token=token, org=metrics.org, bucket=metrics.bucket)


def report_metadata(report: CollectionReport) -> dict[str, dg.MetadataValue]:
    failures = [{key: value for key, value in asdict(f).items() if key in ("account_id", "region", "error_code",
                                                                           "message")} for f in report.failures]
    return {
        "values": dg.MetadataValue.int(report.points),
        "rollups": dg.MetadataValue.int(report.rollups),
        "slices_ok": dg.MetadataValue.int(len(report.slices) - len(report.failures)),
        "slices_failed": dg.MetadataValue.int(len(report.failures)),
        "failures": dg.MetadataValue.json(failures),
        "duration_seconds": dg.MetadataValue.float(report.duration_seconds),
    }


def build_metrics_assets(metrics: MetricsSettings, clock: Clock) -> tuple[list[dg.AssetsDefinition],
                                                                          list[dg.AssetChecksDefinition]]:
    """The collection and alert assets for ``metrics`` (the settings' section), stamped by ``clock``."""

    @dg.asset(key=ROLLUPS_KEY, deps=[RESOURCES_KEY], group_name="metrics", kinds={"aws", "postgres"},
              description="CloudWatch metrics of the inventoried resources, per (account, region): values into the "
              "time-series server, hourly and daily rollups replaced per slice and window.")
    def metric_rollups(context: dg.AssetExecutionContext, aws_inventory: AwsInventoryResource,
                       warehouse: WarehouseResource) -> dg.MaterializeResult:
        with writer_for(metrics) as writer, warehouse.connect() as conn:
            try:
                report = collect_metrics(aws_inventory.aws_settings(), metrics, writer, conn, clock=clock,
                                         progress=lambda outcome: context.log.info(str(outcome)))
            except MetricsWriteError as error:
                raise dg.Failure(f"metrics not collected: {error}") from None
        metadata = report_metadata(report)
        if report.slices and not len(report.slices) - len(report.failures):
            raise dg.Failure(f"no metrics slice could be collected ({len(report.failures)} failed): "
                             f"{report.failures[0]}", metadata=metadata)
        return dg.MaterializeResult(metadata=metadata)

    @dg.asset_check(asset=ROLLUPS_KEY, description="No (account, region) slice failed in its latest collection "
                    "(a failed one keeps its previous rollups).")
    def metrics_slices_ok(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as conn:
            failed = conn.execute(FAILED_SLICES).fetchall()
        sample = [dict(zip(("account_id", "region", "message", "attempted_at", "last_success_at"), row, strict=True))
                  for row in failed[:20]]
        return dg.AssetCheckResult(passed=not failed, severity=dg.AssetCheckSeverity.WARN,
                                   metadata={"count": len(failed), "sample": dg.MetadataValue.json(sample)})

    @dg.asset(key=dg.AssetKey(["alerts", "metric_alerts"]), deps=[ROLLUPS_KEY], group_name="alerts",
              description="The metric alert rules (metrics.alert_rules) over the hourly rollups: a firing rule is "
              "an alert per resource in the outbox, resolved when it stops.")
    def metric_alerts_asset(warehouse: WarehouseResource) -> dg.MaterializeResult:
        now = clock.now()
        with warehouse.connect() as conn:
            alerts = metric_alerts(conn, metrics.alert_rules, now)
            changes = enqueue_alerts(conn, alerts, now)
        holding = [f"- {alert.severity}: {alert.title}" for alert in alerts if alert.action == "trigger"]
        return dg.MaterializeResult(metadata={"firing": len(holding), "state_changes": changes,
                                              "holding": dg.MetadataValue.md("\n".join(holding) or "none")})

    return [metric_rollups, metric_alerts_asset], [metrics_slices_ok]
