"""Slack incoming webhook: one Block Kit message per alert with the numbers and a button to the dashboard.

Alerts carry names from the data (resources, teams, services, tags) that anyone able to tag a resource can write.
Slack's mrkdwn would turn ``*x*``, ``_x_``, ``~x~``, backticks, ``<url|text>`` links and ``:emoji:`` in them into
formatting and has no escape for most of it, so every text of the message is a ``plain_text`` object with emoji
shortcodes off, which Slack shows as it is; the notification fallback ``text`` has mrkdwn off and Slack's
control characters escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from pydantic import SecretStr

from cloudforge.alerts.notifiers import clip, dashboard_link
from cloudforge.alerts.outbox import Alert, Severity
from cloudforge.alerts.transport import post_json

EMOJI = {"critical": "\N{LARGE RED CIRCLE}", "high": "\N{LARGE ORANGE CIRCLE}", "medium": "\N{LARGE YELLOW CIRCLE}",
         "low": "\N{LARGE BLUE CIRCLE}", "info": "\N{MEDIUM WHITE CIRCLE}"}
RESOLVED = "\N{WHITE HEAVY CHECK MARK}"
MAX_FIELDS = 10  # Slack's limit per section block


@dataclass(frozen=True)
class SlackWebhookNotifier:
    """Posts to an incoming webhook. The URL is the credential: it never appears in errors or logs.

    Slack has no idempotency key: a crash between Slack's "ok" and the delivery's commit resends the
    message once (see ``delivery``); everything else is sent exactly once.
    """

    webhook_url: SecretStr
    dashboard_url: str
    timeout_seconds: float = 10.0
    min_severity: Severity = "info"
    channel: ClassVar[str] = "slack"

    def send(self, alert: Alert) -> None:
        url = self.webhook_url.get_secret_value()
        token = url.rstrip("/").rsplit("/", 1)[-1]  # the secret part of .../services/T…/B…/<token>
        post_json(url, slack_message(alert, self.dashboard_url), timeout=self.timeout_seconds,
                  secrets=(url, urlsplit(url).path, token))


def slack_message(alert: Alert, dashboard_url: str) -> dict[str, Any]:
    """Header (severity emoji and title), the summary, severity/source/details as fields, a dashboard button.

    Details beyond Slack's ten fields are left to the dashboard page the button opens.
    """
    resolved = alert.action == "resolve"
    title = "Resolved: " + alert.title.removeprefix("Resolved: ") if resolved else alert.title
    emoji = RESOLVED if resolved else EMOJI[alert.severity]
    fields = [("Severity", alert.severity.capitalize()), ("Source", alert.source),
              *((label(key), show(value)) for key, value in alert.details.items())]
    return {
        "text": escape(f"[{alert.severity.upper()}] {title}: {alert.summary}"),  # notifications and fallback
        "mrkdwn": False,
        "blocks": [
            {"type": "header", "text": plain(clip(f"{emoji} {title}", 150))},
            {"type": "section", "text": plain(clip(alert.summary, 3000))},
            {"type": "section", "fields": [
                plain(clip(f"{name}\n{value}", 2000)) for name, value in fields[:MAX_FIELDS]
            ]},
            {"type": "actions", "elements": [{
                "type": "button",
                "text": plain("Open in CloudForge"),
                "url": dashboard_link(dashboard_url, alert.link),
            }]},
            {"type": "context", "elements": [plain(f"CloudForge · {alert.dedup_key}")]},
        ],
    }


def plain(text: str) -> dict[str, Any]:
    """A Block Kit text object Slack shows as it is: no mrkdwn, links or emoji shortcodes."""
    return {"type": "plain_text", "text": text, "emoji": False}


def show(value: Any) -> str:
    """A detail value as people read it: numbers with thousands separators, yes/no, compact JSON."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,}"
    if value is None:
        return "–"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(", ", ": "))
    return str(value)


def label(key: str) -> str:
    """``month_to_date`` -> ``Month to date``."""
    return key.replace("_", " ").strip().capitalize()


def escape(text: str) -> str:
    """Slack's control characters (links, mentions), escaped as its documentation asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
