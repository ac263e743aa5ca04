"""What each notifier sends, what Retry-After means, and which notifiers the settings switch on."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from outbox_samples import BUDGET, DASHBOARD, ROUTING_KEY, slack, slack_ok
from support.literal import SERVICE, TEAM
from support.replay import ReplayServer

from assets.billing.alerts import anomaly_alert
from cloudforge.alerts import LogNotifier, PagerDutyNotifier, SlackWebhookNotifier
from cloudforge.alerts.config import build_notifiers
from cloudforge.alerts.pagerduty import pagerduty_event, pd_dedup_key
from cloudforge.alerts.slack import slack_message
from cloudforge.alerts.transport import parse_retry_after
from cloudforge.settings import AlertSettings, load_settings


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text, "emoji": False}


def test_slack_message_reads_with_the_numbers_and_a_dashboard_button():
    message = slack_message(BUDGET, DASHBOARD)

    header, summary, fields, actions, context = message["blocks"]
    assert header == {
        "type": "header", "text": plain("\N{LARGE ORANGE CIRCLE} Payments is at 81% of its November budget")
    }
    assert summary["text"] == plain(BUDGET.summary)
    assert [field["text"] for field in fields["fields"]] == [
        "Severity\nHigh", "Source\nbudget", "Team\npayments", "Budget\n10,000",
        "Month to date\n8,123.4", "Forecast\n11,870.55", "Threshold pct\n80",
    ]
    [button] = actions["elements"]
    assert button["url"] == "http://dashboards.example:8501/budgets?team=payments"
    assert button["text"] == plain("Open in CloudForge")
    assert context["elements"] == [plain("CloudForge · budget:team:payments:2026-11:80")]
    assert message["text"] == f"[HIGH] Payments is at 81% of its November budget: {BUDGET.summary}"
    assert message["mrkdwn"] is False


def test_slack_message_escapes_control_characters_resolves_and_keeps_within_slack_limits():
    noisy = replace(BUDGET, action="resolve", summary="spend <in> & out", link=None,
                    title=f"Resolved: {BUDGET.title}", details={f"key_{n}": n for n in range(12)})
    message = slack_message(noisy, DASHBOARD + "/")
    header, summary, fields, actions, _ = message["blocks"]
    assert header["text"]["text"] == (
        "\N{WHITE HEAVY CHECK MARK} Resolved: Payments is at 81% of its November budget"
    )
    assert summary["text"] == plain("spend <in> & out")  # plain text: Slack shows it as it is
    assert message["text"].endswith("budget: spend &lt;in&gt; &amp; out")
    assert len(fields["fields"]) == 10  # Slack's maximum; severity, source and the first eight details
    assert fields["fields"][-1]["text"] == "Key 7\n7"
    assert actions["elements"][0]["url"] == "http://dashboards.example:8501/"


def text_objects(block: object) -> list[dict]:
    """Every Block Kit text object in a message, however deep."""
    if isinstance(block, list):
        return [found for item in block for found in text_objects(item)]
    if not isinstance(block, dict):
        return []
    if block.get("type") in ("plain_text", "mrkdwn"):
        return [block]
    return [found for value in block.values() for found in text_objects(value)]


def test_slack_shows_names_from_the_data_as_they_are():
    """An anomaly alert for a team and a service named in Markdown, mrkdwn and HTML, sent by the real notifier to a
    local receiver: every text is plain text with the names unchanged, and the fallback has mrkdwn off and Slack's
    control characters escaped, so no name becomes a link, a mention or formatting."""
    anomaly = {
        "team": TEAM, "service_name": SERVICE, "provider": "gcp", "charge_day": date(2024, 6, 12),
        "billing_currency": "USD", "effective_cost": Decimal(2700), "baseline_cost": Decimal(300),
        "impact": Decimal(2400), "deviation": Decimal("41.2"), "is_recent": True,
    }
    alert = anomaly_alert(anomaly, min_impact=Decimal(50))

    with ReplayServer([slack_ok()]) as receiver:
        slack(receiver).send(alert)

    [request] = receiver.received
    message = request.body
    kinds = {(text["type"], text.get("emoji")) for text in text_objects(message["blocks"])}
    assert kinds == {("plain_text", False)}
    header, summary, fields, _, _ = message["blocks"]
    title = f"Cost anomaly: {SERVICE} for team {TEAM} on 2024-06-12"
    assert header["text"]["text"] == f"\N{LARGE ORANGE CIRCLE} {title}"
    assert summary["text"]["text"] == (
        f"{SERVICE} (gcp) cost team {TEAM} 2,700.00 USD on Wednesday 2024-06-12, 2,400.00 USD above its usual "
        "300.00 USD for a Wednesday (41.2 robust standard deviations)."
    )
    assert [field["text"] for field in fields["fields"]][2:4] == [f"Team\n{TEAM}", f"Service\n{SERVICE}"]
    assert message["mrkdwn"] is False
    assert not {"<", ">"} & set(message["text"])
    assert html.unescape(message["text"]) == f"[HIGH] {title}: {summary['text']['text']}"


@pytest.mark.parametrize(("severity", "expected"), [
    ("critical", "critical"), ("high", "error"), ("medium", "warning"), ("low", "info"), ("info", "info"),
])
def test_pagerduty_trigger_maps_severity_and_carries_details_and_link(severity, expected):
    event = pagerduty_event(replace(BUDGET, severity=severity), ROUTING_KEY, DASHBOARD)
    assert event == {
        "routing_key": ROUTING_KEY,
        "event_action": "trigger",
        "dedup_key": "budget:team:payments:2026-11:80",
        "payload": {
            "summary": f"Payments is at 81% of its November budget: {BUDGET.summary}",
            "source": "cloudforge/budget",
            "severity": expected,
            "class": "budget",
            "custom_details": {"summary": BUDGET.summary, **BUDGET.details},
        },
        "links": [{"href": "http://dashboards.example:8501/budgets?team=payments", "text": "Open in CloudForge"}],
        "client": "CloudForge",
        "client_url": "http://dashboards.example:8501/budgets?team=payments",
    }


def test_pagerduty_resolve_carries_only_its_keys_and_long_dedup_keys_fit():
    assert pagerduty_event(replace(BUDGET, action="resolve"), ROUTING_KEY, DASHBOARD) == {
        "routing_key": ROUTING_KEY, "event_action": "resolve", "dedup_key": "budget:team:payments:2026-11:80",
    }
    long_key = "x" * 300
    assert len(pd_dedup_key(long_key)) == 255
    assert pd_dedup_key(long_key) != pd_dedup_key(long_key[:-1] + "y")
    assert pd_dedup_key(long_key) == pd_dedup_key(long_key)


def test_retry_after_in_seconds_or_as_an_http_date():
    now = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("1", now) == 1.0
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Fri, 20 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Fri, 20 Nov 2026 11:59:00 GMT", now) == 0.0  # already past: retry now
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_log_only_by_default_and_real_channels_switched_on_by_their_secrets():
    assert build_notifiers(load_settings(alerts=AlertSettings())) == [LogNotifier()]

    settings = load_settings(dashboard_url=DASHBOARD, alerts=AlertSettings(
        slack_webhook_url="https://hooks.slack.example/services/T/B/x", pagerduty_routing_key=ROUTING_KEY,
        pagerduty_url="http://127.0.0.1:9/v2/enqueue", timeout_seconds=3))
    slack, pagerduty = build_notifiers(settings)
    assert isinstance(slack, SlackWebhookNotifier) and isinstance(pagerduty, PagerDutyNotifier)
    assert (slack.dashboard_url, slack.timeout_seconds, slack.min_severity) == (DASHBOARD, 3, "info")
    assert (pagerduty.url, pagerduty.min_severity) == ("http://127.0.0.1:9/v2/enqueue", "high")
    assert ROUTING_KEY not in repr(pagerduty) and "hooks.slack" not in repr(slack)

    only_log_and_slack = settings.model_copy(update={"alerts": settings.alerts.model_copy(
        update={"channels": ["log", "slack"]})})
    assert [n.channel for n in build_notifiers(only_log_and_slack)] == ["log", "slack"]


def test_a_channel_named_without_its_secret_or_a_bad_url_is_a_clear_error():
    with pytest.raises(ValueError, match=r"names pagerduty, but alerts.pagerduty_routing_key \("
                                         r"CLOUDFORGE_ALERTS__PAGERDUTY_ROUTING_KEY\) is not set"):
        build_notifiers(load_settings(alerts=AlertSettings(channels=["log", "pagerduty"])))
    with pytest.raises(ValueError, match="slack_webhook_url is not an http") as error:
        build_notifiers(load_settings(alerts=AlertSettings(slack_webhook_url="hooks.slack.com/services/T/B/s3cret")))
    assert "s3cret" not in str(error.value)

