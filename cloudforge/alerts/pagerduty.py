"""PagerDuty Events API v2: trigger and resolve alerts keyed by the outbox's dedup_key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import SecretStr

from cloudforge.alerts.notifiers import clip, dashboard_link
from cloudforge.alerts.outbox import Alert, Severity
from cloudforge.alerts.transport import post_json

EVENTS_URL = "https://events.pagerduty.com/v2/enqueue"
PD_SEVERITY = {"critical": "critical", "high": "error", "medium": "warning", "low": "info", "info": "info"}


@dataclass(frozen=True)
class PagerDutyNotifier:
    """Sends events with ``dedup_key`` = the alert's, so a resend after a crash updates the same PagerDuty
    alert instead of opening a second one, and a resolve closes what its trigger opened."""

    routing_key: SecretStr
    dashboard_url: str
    url: str = EVENTS_URL
    timeout_seconds: float = 10.0
    min_severity: Severity = "high"
    channel: ClassVar[str] = "pagerduty"

    def send(self, alert: Alert) -> None:
        key = self.routing_key.get_secret_value()
        post_json(self.url, pagerduty_event(alert, key, self.dashboard_url), timeout=self.timeout_seconds,
                  secrets=(key,))


def pagerduty_event(alert: Alert, routing_key: str, dashboard_url: str) -> dict[str, Any]:
    """The Events API v2 body: a resolve carries only its keys; a trigger the payload, details and link."""
    event = {"routing_key": routing_key, "event_action": alert.action, "dedup_key": pd_dedup_key(alert.dedup_key)}
    if alert.action == "resolve":
        return event
    url = dashboard_link(dashboard_url, alert.link)
    return {
        **event,
        "payload": {
            "summary": clip(f"{alert.title}: {alert.summary}", 1024),
            "source": f"cloudforge/{alert.source}",
            "severity": PD_SEVERITY[alert.severity],
            "class": alert.source,
            "custom_details": {"summary": alert.summary, **alert.details},
        },
        "links": [{"href": url, "text": "Open in CloudForge"}],
        "client": "CloudForge",
        "client_url": url,
    }


def pd_dedup_key(key: str, limit: int = 255) -> str:
    """PagerDuty's dedup_key holds 255 characters: a longer key keeps its start and a hash of the whole."""
    if len(key) <= limit:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key[: limit - len(digest) - 1]}#{digest}"
