"""Alerts: an outbox in the warehouse that detectors write to, and notifiers that deliver it exactly once."""

from cloudforge.alerts.outbox import Alert, enqueue_alerts, ensure_outbox

__all__ = ["Alert", "enqueue_alerts", "ensure_outbox"]
