"""Settings (``alerts.*``) into notifiers and a delivery policy: log-only until a channel's secret is given."""

from __future__ import annotations

from datetime import timedelta

from cloudforge.alerts.delivery import DeliveryPolicy
from cloudforge.alerts.notifiers import LogNotifier, Notifier
from cloudforge.alerts.pagerduty import PagerDutyNotifier
from cloudforge.alerts.slack import SlackWebhookNotifier
from cloudforge.settings import Settings

SECRET_SETTING = {
    "slack": "alerts.slack_webhook_url (CLOUDFORGE_ALERTS__SLACK_WEBHOOK_URL)",
    "pagerduty": "alerts.pagerduty_routing_key (CLOUDFORGE_ALERTS__PAGERDUTY_ROUTING_KEY)",
}


def build_notifiers(settings: Settings) -> list[Notifier]:
    """One notifier per channel in ``alerts.channels``; when that is unset, every channel whose secret is
    set, or the log alone when none is."""
    alerts = settings.alerts
    secrets = {"slack": alerts.slack_webhook_url, "pagerduty": alerts.pagerduty_routing_key}
    if alerts.channels is None:
        channels = [channel for channel, secret in secrets.items() if secret is not None] or ["log"]
    else:
        channels = list(dict.fromkeys(alerts.channels))
    for channel in channels:
        if channel in secrets and secrets[channel] is None:
            raise ValueError(f"alerts.channels names {channel}, but {SECRET_SETTING[channel]} is not set")
    if alerts.slack_webhook_url is not None and not is_http(alerts.slack_webhook_url.get_secret_value()):
        raise ValueError("alerts.slack_webhook_url is not an http(s) URL (its value is not shown: it is a secret)")
    if not is_http(alerts.pagerduty_url):
        raise ValueError(f"alerts.pagerduty_url is not an http(s) URL: {alerts.pagerduty_url!r}")
    build = {
        "log": LogNotifier,
        "slack": lambda: SlackWebhookNotifier(
            alerts.slack_webhook_url, settings.dashboard_url, alerts.timeout_seconds, alerts.slack_min_severity
        ),
        "pagerduty": lambda: PagerDutyNotifier(
            alerts.pagerduty_routing_key, settings.dashboard_url, alerts.pagerduty_url, alerts.timeout_seconds,
            alerts.pagerduty_min_severity,
        ),
    }
    return [build[channel]() for channel in channels]


def delivery_policy(settings: Settings) -> DeliveryPolicy:
    alerts = settings.alerts
    return DeliveryPolicy(
        max_attempts=alerts.max_attempts,
        backoff_seconds=alerts.backoff_seconds,
        max_backoff_seconds=alerts.max_backoff_seconds,
        max_age=timedelta(hours=alerts.max_age_hours),
    )


def is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))
