"""Alerts: an outbox in the warehouse that detectors write to, and notifiers that deliver it exactly once."""

from cloudforge.alerts.delivery import DeliveryPolicy, DeliveryReport, deliver_pending, drain
from cloudforge.alerts.notifiers import LogNotifier, Notifier
from cloudforge.alerts.outbox import Alert, enqueue_alerts
from cloudforge.alerts.pagerduty import PagerDutyNotifier
from cloudforge.alerts.slack import SlackWebhookNotifier

__all__ = [
    "Alert",
    "DeliveryPolicy",
    "DeliveryReport",
    "LogNotifier",
    "Notifier",
    "PagerDutyNotifier",
    "SlackWebhookNotifier",
    "deliver_pending",
    "drain",
    "enqueue_alerts",
]
