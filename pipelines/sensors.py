"""Sensors. The alert delivery sensor delivers the alerts outbox itself, without launching a run.

Delivery is a few HTTP calls recorded in the warehouse; a run per tick would add a process and a run record
every 30 seconds for nothing. The tick's outcome (delivered, retried, failed, pending) is its skip reason,
shown in the Dagster UI; each delivery's attempts and errors are in ``alerts.deliveries``.
"""

import dagster as dg

from assets.resources import WarehouseResource
from cloudforge.alerts.config import build_notifiers, delivery_policy
from cloudforge.alerts.delivery import deliver_pending
from cloudforge.settings import Settings

# Dagster gives a sensor tick 60 s by default; stop claiming new deliveries well before that.
TICK_BUDGET_SECONDS = 40.0


def build_alert_delivery_sensor(settings: Settings) -> dg.SensorDefinition:
    """The delivery sensor, sending through the notifiers and retry policy ``settings`` configure
    (``alerts.*``; log-only when neither a Slack webhook nor a PagerDuty routing key is set)."""

    @dg.sensor(
        name="alert_delivery_sensor",
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Send pending alerts (budget crossings, cost anomalies, policy findings) to the "
        "configured notifiers.",
    )
    def alert_delivery_sensor(
        context: dg.SensorEvaluationContext, warehouse: WarehouseResource
    ) -> dg.SkipReason:
        with warehouse.connect() as conn:
            report = deliver_pending(conn, build_notifiers(settings), now=settings.clock.now(),
                                     policy=delivery_policy(settings),
                                     time_budget=TICK_BUDGET_SECONDS)
        context.log.info(f"alerts: {report.summary()}")
        return dg.SkipReason(f"alerts: {report.summary()}")

    return alert_delivery_sensor


def build_provisioning_sensor(job: dg.JobDefinition, settings: Settings) -> dg.SensorDefinition:
    """One run of ``job`` per approved provisioning request, keyed by the request id: Dagster never launches a
    run key twice, so a restarted daemon (or a second tick before the run started) does not apply it again.
    A request changed and approved again after its run is applied with `cloudforge provision apply`. Requests
    inserted as rows of provisioning.requests are planned first (gate, estimate, budget), to await approval."""

    @dg.sensor(
        name="provisioning_sensor",
        job=job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Launch the apply of every approved provisioning request.",
    )
    def provisioning_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        from policies.config import policy_config
        from provisioners.ledger import Ledger, approved_requests
        from provisioners.service import plan_stored_requests

        with warehouse.connect() as conn:
            approved = approved_requests(conn)
            if conn.execute("SELECT to_regclass('provisioning.requests') IS NOT NULL").fetchone()[0]:
                planned = plan_stored_requests(Ledger(conn), conn, policy_config(settings), settings.clock.now(),
                                               settings.tags.required)  # fmt: skip
                context.log.info(f"planned requests inserted as rows: {planned}")
        if not approved:
            return dg.SkipReason("no approved provisioning request")
        return [
            dg.RunRequest(
                run_key=request_id,
                run_config={"ops": {"apply_request": {"config": {"request_id": request_id}}}},
                tags={"cloudforge/request": request_id},
            )
            for request_id in approved
        ]

    return provisioning_sensor
