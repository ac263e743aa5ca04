"""What a notifier is, and the default one: a log line per alert, for a machine with nowhere to send to."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from cloudforge.alerts.outbox import Alert, Severity

log = logging.getLogger("cloudforge.alerts")

SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")  # ascending


class Notifier(Protocol):
    """Sends one alert to one channel, or raises ``transport.DeliveryError`` saying why not.

    ``channel`` names it in ``alerts.deliveries``; alerts below ``min_severity`` are not sent to it (their
    resolve is, when the trigger was).
    """

    channel: ClassVar[str]
    min_severity: Severity

    def send(self, alert: Alert) -> None: ...


@dataclass(frozen=True)
class LogNotifier:
    """One INFO line per alert on the ``cloudforge.alerts`` logger; the default channel."""

    min_severity: Severity = "info"
    channel: ClassVar[str] = "log"

    def send(self, alert: Alert) -> None:
        log.info(
            "alert %s [%s] %s: %s — %s (%s)",
            alert.action, alert.severity, alert.source, alert.title, " ".join(alert.summary.split()), alert.dedup_key,
        )


def dashboard_link(dashboard_url: str, link: str | None) -> str:
    """The dashboard page an alert points to: ``link`` under ``dashboard_url`` unless it is absolute."""
    if link and link.startswith(("http://", "https://")):
        return link
    return f"{dashboard_url.rstrip('/')}/{(link or '').lstrip('/')}"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
