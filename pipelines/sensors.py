"""Sensors. `alert_delivery_sensor` delivers the alerts outbox itself, without launching a run.

Delivery is a few HTTP calls recorded in the warehouse; a run per tick would add a process and a run record
every 30 seconds for nothing. The tick's outcome (delivered, retried, failed, pending) is its skip reason,
shown in the Dagster UI; each delivery's attempts and errors are in ``alerts.deliveries``.
"""

from __future__ import annotations

from datetime import datetime

import dagster as dg

from assets.resources import WarehouseResource
from cloudforge.alerts.config import build_notifiers, delivery_policy
from cloudforge.alerts.delivery import DeliveryPolicy, deliver_pending
from cloudforge.alerts.notifiers import Notifier
from cloudforge.settings import load_settings

# Dagster gives a sensor tick 60 s by default; stop claiming new deliveries well before that.
TICK_BUDGET_SECONDS = 40.0


class AlertNotifiersResource(dg.ConfigurableResource):
    """The notifiers and retry policy that cloudforge settings configure (``alerts.*``; the Slack webhook
    and PagerDuty routing key come from the environment). Log-only when neither is set."""

    def notifiers(self) -> list[Notifier]:
        return build_notifiers(load_settings())

    def policy(self) -> DeliveryPolicy:
        return delivery_policy(load_settings())

    def now(self) -> datetime:
        return load_settings().clock.now()


@dg.sensor(
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Send pending alerts (budget crossings, cost anomalies, policy findings) to the configured notifiers.",
)
def alert_delivery_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource, alert_notifiers: AlertNotifiersResource
) -> dg.SkipReason:
    with warehouse.connect() as conn:
        report = deliver_pending(conn, alert_notifiers.notifiers(), now=alert_notifiers.now(),
                                 policy=alert_notifiers.policy(), time_budget=TICK_BUDGET_SECONDS)
    context.log.info(f"alerts: {report.summary()}")
    return dg.SkipReason(f"alerts: {report.summary()}")
