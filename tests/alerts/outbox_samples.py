"""Sample alerts, and the answers of a real local HTTP receiver standing in for Slack and PagerDuty.

The answers follow the providers' documented formats: Slack's incoming webhook "ok" (200), 429 with
Retry-After, 500; PagerDuty's Events API v2 202 {"status": "success", ...}, 400 "invalid event", 429.
"""

from __future__ import annotations

import json

import psycopg
from pydantic import SecretStr
from support.replay import Exchange, ReplayServer

from cloudforge.alerts import Alert, PagerDutyNotifier, SlackWebhookNotifier

SLACK_PATH = "/services/T0CLOUDF/B0ALERTS/sl4ckS3cretT0ken"
PD_PATH = "/v2/enqueue"
ROUTING_KEY = "R0UT1NGKEYs3cretR0UT1NGKEY000000"  # 32 characters, like a real integration key
DASHBOARD = "http://dashboards.example:8501"

BUDGET = Alert(
    dedup_key="budget:team:payments:2026-11:80",
    source="budget",
    severity="high",
    title="Payments is at 81% of its November budget",
    summary="Month to date $8,123.40 of $10,000.00 (81.2%); forecast $11,870.55 by 30 Nov, 18.7% over.",
    details={"team": "payments", "budget": 10000, "month_to_date": 8123.4, "forecast": 11870.55,
             "threshold_pct": 80},
    link="/budgets?team=payments",
)


def alert(number: int, severity: str = "high", action: str = "trigger") -> Alert:
    """A distinct alert (its own dedup_key) for tests that need several."""
    return Alert(dedup_key=f"policy:AWS-S3-001:bucket-{number}", source="policy_finding", severity=severity,
                 title=f"Bucket {number} is public", summary=f"s3://bucket-{number} allows public reads.",
                 details={"resource_id": f"bucket-{number}"}, link="/compliance", action=action)


def slack_ok() -> Exchange:
    return Exchange("POST", SLACK_PATH, 200, "ok")


def slack_throttled(retry_after: str = "1") -> Exchange:
    return Exchange("POST", SLACK_PATH, 429, "rate_limited", headers={"Retry-After": retry_after})


def slack_error(status: int = 500, body: str = "rollup_error") -> Exchange:
    return Exchange("POST", SLACK_PATH, status, body)


def pd_accepted(dedup_key: str, action: str = "trigger") -> Exchange:
    body = {"status": "success", "message": "Event processed", "dedup_key": dedup_key}
    return Exchange("POST", PD_PATH, 202, json.dumps(body), body={"dedup_key": dedup_key, "event_action": action})


def pd_invalid(error: str) -> Exchange:
    body = {"status": "invalid event", "message": "Event object is invalid", "errors": [error]}
    return Exchange("POST", PD_PATH, 400, json.dumps(body))


def pd_throttled(retry_after: str) -> Exchange:
    body = {"status": "throttle event", "message": "Requests for this service are arriving too quickly."}
    return Exchange("POST", PD_PATH, 429, json.dumps(body), headers={"Retry-After": retry_after})


def slack(receiver: ReplayServer, **options) -> SlackWebhookNotifier:
    return SlackWebhookNotifier(SecretStr(receiver.url + SLACK_PATH), DASHBOARD, **options)


def pagerduty(receiver: ReplayServer, **options) -> PagerDutyNotifier:
    return PagerDutyNotifier(SecretStr(ROUTING_KEY), DASHBOARD, url=receiver.url + PD_PATH, **options)


def deliveries(conn: psycopg.Connection) -> list[tuple]:
    """(dedup_key, action, channel, status, attempts, last_error, next_attempt_at) in alert order."""
    return conn.execute(
        "SELECT o.dedup_key, o.action, d.channel, d.status, d.attempts, d.last_error, d.next_attempt_at"
        " FROM alerts.deliveries d JOIN alerts.outbox o USING (alert_id) ORDER BY d.alert_id, d.channel"
    ).fetchall()
