"""Delivery through a real local HTTP receiver: once per alert and channel, retried only when the provider
says so, in order, and without a secret in any error or log line."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import psycopg
import pytest
from outbox_samples import (
    BUDGET,
    DASHBOARD,
    PD_PATH,
    ROUTING_KEY,
    SLACK_PATH,
    alert,
    deliveries,
    pagerduty,
    pd_accepted,
    pd_invalid,
    pd_throttled,
    slack,
    slack_error,
    slack_ok,
    slack_throttled,
)
from pydantic import SecretStr
from support.replay import ReplayServer

from cloudforge.alerts import (
    Alert,
    DeliveryPolicy,
    DeliveryReport,
    SlackWebhookNotifier,
    deliver_pending,
    drain,
    enqueue_alerts,
)
from cloudforge.alerts.config import build_notifiers
from cloudforge.settings import AlertSettings, load_settings
from cloudforge.warehouse import connect

SECOND = timedelta(seconds=1)
SLACK_TOKEN = SLACK_PATH.rsplit("/", 1)[-1]


def enqueue(conn: psycopg.Connection, *alerts: Alert) -> None:
    """Enqueue now, on the session's clock (pinned by --today, like every setting read in the tests)."""
    assert enqueue_alerts(conn, alerts, load_settings().clock.now()) == len(alerts)


def test_each_alert_reaches_each_channel_once_across_passes(conn, now):
    enqueue(conn, BUDGET, alert(1), alert(2))
    keys = [BUDGET.dedup_key, alert(1).dedup_key, alert(2).dedup_key]
    with ReplayServer([slack_ok()] * 3 + [pd_accepted(key) for key in keys]) as receiver:
        notifiers = [slack(receiver), pagerduty(receiver)]
        first = deliver_pending(conn, notifiers, now=now)
        second = deliver_pending(conn, notifiers, now=now + timedelta(days=1))

    assert first == DeliveryReport(delivered=6)
    assert second == DeliveryReport()
    assert receiver.unused() == [] and len(receiver.received) == 6
    assert sorted(r.body["dedup_key"] for r in receiver.received if r.path == PD_PATH) == sorted(keys)
    assert Counter(r.body["text"].split(":")[0] for r in receiver.received if r.path == SLACK_PATH) == {
        "[HIGH] Payments is at 81% of its November budget": 1, "[HIGH] Bucket 1 is public": 1,
        "[HIGH] Bucket 2 is public": 1,
    }
    assert {row[3:6] for row in deliveries(conn)} == {("delivered", 1, None)}


def test_two_deliverers_at_once_send_each_alert_once(conn, alerts_url, now):
    enqueue(conn, *(alert(n) for n in range(20)))
    reports = []

    def deliver() -> None:
        with connect(alerts_url, autocommit=True) as own:
            reports.append(deliver_pending(own, [slack(receiver)], now=now))

    with ReplayServer([slack_ok()] * 20) as receiver:
        workers = [threading.Thread(target=deliver) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    assert sum(report.delivered for report in reports) == 20
    assert receiver.unused() == [] and len(receiver.received) == 20
    assert len({r.body["text"] for r in receiver.received}) == 20
    assert {row[3:5] for row in deliveries(conn)} == {("delivered", 1)}


def test_slack_429_waits_for_retry_after_then_delivers(conn, now):
    enqueue(conn, BUDGET)
    with ReplayServer([slack_throttled("1"), slack_ok()]) as receiver:
        notifiers = [slack(receiver)]
        throttled = deliver_pending(conn, notifiers, now=now)
        [after_429] = deliveries(conn)
        retry_at = after_429[6]
        too_early = deliver_pending(conn, notifiers, now=retry_at - timedelta(milliseconds=1))
        due = deliver_pending(conn, notifiers, now=retry_at)

    assert now + SECOND <= retry_at <= now + 1.5 * SECOND  # Retry-After: 1, counted from the 429
    assert throttled == DeliveryReport(retried=1, pending=1, next_attempt_at=retry_at)
    assert after_429[:6] == (BUDGET.dedup_key, "trigger", "slack", "pending", 1, "HTTP 429: rate_limited")
    assert too_early == DeliveryReport(pending=1, next_attempt_at=retry_at)
    assert due == DeliveryReport(delivered=1)
    assert receiver.unused() == [] and len(receiver.received) == 2
    assert deliveries(conn)[0][3:6] == ("delivered", 2, "HTTP 429: rate_limited")


def test_a_one_shot_flush_rides_out_a_short_retry_after_in_real_time(conn, clock):
    enqueue(conn, BUDGET)
    with ReplayServer([slack_throttled("1"), slack_ok()]) as receiver:
        started = time.monotonic()
        report = drain(conn, [slack(receiver)], clock=clock, wait_seconds=5)

    assert report == DeliveryReport(delivered=1, retried=1)
    assert len(receiver.received) == 2
    assert receiver.received[1].at - started >= 1.0


def test_a_flush_leaves_a_long_retry_after_to_the_sensor(conn, clock):
    enqueue(conn, BUDGET)
    with ReplayServer([slack_throttled("120")]) as receiver:
        report = drain(conn, [slack(receiver)], clock=clock, wait_seconds=5)
    assert (report.retried, report.pending, len(receiver.received)) == (1, 1, 1)


def test_5xx_backs_off_exponentially_with_jitter_then_delivers(conn, now):
    enqueue(conn, BUDGET)
    policy = DeliveryPolicy(backoff_seconds=10)
    with ReplayServer([slack_error(500), slack_error(503, "service_unavailable"), slack_ok()]) as receiver:
        notifiers = [slack(receiver)]
        deliver_pending(conn, notifiers, now=now, policy=policy)
        [first] = deliveries(conn)
        deliver_pending(conn, notifiers, now=first[6], policy=policy)
        [second] = deliveries(conn)
        done = deliver_pending(conn, notifiers, now=second[6], policy=policy)

    assert first[3:6] == ("pending", 1, "HTTP 500: rollup_error")
    assert now + 5 * SECOND <= first[6] <= now + 10.5 * SECOND  # jitter in the upper half of 10 s
    assert second[3:6] == ("pending", 2, "HTTP 503: service_unavailable")
    assert first[6] + 10 * SECOND <= second[6] <= first[6] + 20.5 * SECOND  # doubled
    assert done == DeliveryReport(delivered=1)
    assert receiver.unused() == []


def test_gives_up_after_max_attempts(conn, now):
    enqueue(conn, BUDGET)
    policy = DeliveryPolicy(max_attempts=2, backoff_seconds=1)
    with ReplayServer([slack_error(500)] * 2) as receiver:
        deliver_pending(conn, [slack(receiver)], now=now, policy=policy)
        last = deliver_pending(conn, [slack(receiver)], now=now + timedelta(hours=1), policy=policy)
    assert last == DeliveryReport(failed=1)
    assert deliveries(conn)[0][3:6] == ("failed", 2, "gave up after 2 attempts: HTTP 500: rollup_error")


def test_other_4xx_fail_at_once_with_the_error_and_are_never_retried(conn, now):
    enqueue(conn, BUDGET)
    missing = "'payload.summary' is missing or blank"
    with ReplayServer([slack_error(410, "channel_is_archived"), pd_invalid(missing)]) as receiver:
        notifiers = [slack(receiver), pagerduty(receiver)]
        first = deliver_pending(conn, notifiers, now=now)
        later = deliver_pending(conn, notifiers, now=now + timedelta(days=1))

    assert first == DeliveryReport(failed=2)
    assert later == DeliveryReport()
    assert len(receiver.received) == 2
    assert [row[2:6] for row in deliveries(conn)] == [
        ("pagerduty", "failed", 1, f"HTTP 400: {pd_invalid(missing).response}"),
        ("slack", "failed", 1, "HTTP 410: channel_is_archived"),
    ]


def test_timeouts_and_refused_connections_are_retried(conn, now):
    enqueue(conn, BUDGET)
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts connections, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}{SLACK_PATH}"
        notifiers = [SlackWebhookNotifier(SecretStr(url), DASHBOARD, timeout_seconds=0.3)]
        timed_out = deliver_pending(conn, notifiers, now=now)
    [row] = deliveries(conn)
    refused = deliver_pending(conn, notifiers, now=row[6])  # the port is closed now

    assert (timed_out.retried, row[3:6]) == (1, ("pending", 1, "timed out after 0.3 s"))
    assert refused.retried == 1
    assert deliveries(conn)[0][3:6] == ("pending", 2, "connection failed: [Errno 111] Connection refused")


def test_pagerduty_resolve_follows_its_trigger_with_the_same_dedup_key(conn, now):
    key = BUDGET.dedup_key
    enqueue(conn, BUDGET)
    exchanges = [pd_throttled("60"), pd_accepted(key, "trigger"), pd_accepted(key, "resolve")]
    with ReplayServer(exchanges) as receiver:
        notifiers = [pagerduty(receiver)]
        deliver_pending(conn, notifiers, now=now)  # the trigger is throttled for 60 s
        retry_at = deliveries(conn)[0][6]
        # The condition clears meanwhile; its resolve (severity info, below PagerDuty's minimum) still goes
        # to PagerDuty because its trigger does, but never before it.
        enqueue(conn, replace(BUDGET, action="resolve", severity="info"))
        waiting = deliver_pending(conn, notifiers, now=now + 30 * SECOND)
        done = deliver_pending(conn, notifiers, now=retry_at)

    assert now + 60 * SECOND <= retry_at <= now + 60.5 * SECOND
    assert waiting == DeliveryReport(pending=2, next_attempt_at=retry_at)
    assert done == DeliveryReport(delivered=2)
    assert [(r.body["event_action"], r.body["dedup_key"]) for r in receiver.received] == [
        ("trigger", key), ("trigger", key), ("resolve", key)]
    assert receiver.received[1].body["payload"]["severity"] == "error"
    assert receiver.received[2].body == {"routing_key": ROUTING_KEY, "event_action": "resolve", "dedup_key": key}


def test_pagerduty_pages_high_and_critical_while_slack_gets_everything(conn, now):
    enqueue(conn, alert(1, "critical"), alert(2, "medium"), alert(3, "high"))
    exchanges = [slack_ok()] * 3 + [pd_accepted(alert(1).dedup_key), pd_accepted(alert(3).dedup_key)]
    with ReplayServer(exchanges) as receiver:
        report = deliver_pending(conn, [slack(receiver), pagerduty(receiver)], now=now)

    assert report == DeliveryReport(delivered=5)
    assert receiver.unused() == []
    assert [(row[0][-8:], row[2]) for row in deliveries(conn)] == [
        ("bucket-1", "pagerduty"), ("bucket-1", "slack"), ("bucket-2", "slack"), ("bucket-3", "pagerduty"),
        ("bucket-3", "slack"),
    ]
    critical = next(r.body for r in receiver.received if r.path == PD_PATH)
    assert critical["payload"]["severity"] == "critical"


def test_switching_a_channel_on_does_not_replay_old_alerts(conn, now):
    enqueue(conn, BUDGET)
    with ReplayServer([]) as receiver:
        report = deliver_pending(conn, [slack(receiver)], now=now + timedelta(hours=73))
    assert report == DeliveryReport(expired=1)
    assert receiver.received == []
    assert deliveries(conn)[0][2:5] == ("slack", "expired", 0)


def test_the_default_log_notifier_writes_one_line_per_alert(conn, now, caplog):
    caplog.set_level(logging.INFO, logger="cloudforge.alerts")
    enqueue(conn, BUDGET)
    report = deliver_pending(conn, build_notifiers(load_settings(alerts=AlertSettings())), now=now)

    assert report == DeliveryReport(delivered=1)
    assert [record.getMessage() for record in caplog.records if record.name == "cloudforge.alerts"] == [
        f"alert trigger [high] budget: {BUDGET.title} — {BUDGET.summary} ({BUDGET.dedup_key})",
    ]


def test_secrets_stay_out_of_errors_logs_and_reports(conn, now, caplog):
    caplog.set_level(logging.DEBUG)
    enqueue(conn, BUDGET, alert(1, "critical"))
    exchanges = [  # providers that echo the secret back in their error bodies
        slack_error(404, f"no_service {SLACK_PATH}"),
        pd_invalid(f"routing_key {ROUTING_KEY} is not an integration key"),
        slack_error(500, f"token {SLACK_TOKEN} is throttled"),
    ]
    with ReplayServer(exchanges) as receiver:
        notifiers = [slack(receiver), pagerduty(receiver, min_severity="critical")]
        report = deliver_pending(conn, notifiers, now=now)

    errors = [row[5] for row in deliveries(conn)]
    assert errors == [
        "HTTP 404: no_service ***",
        f"HTTP 400: {pd_invalid('routing_key *** is not an integration key').response}",
        "HTTP 500: token *** is throttled",
    ]
    for text in [*errors, caplog.text, report.summary()]:
        assert ROUTING_KEY not in text and SLACK_TOKEN not in text and SLACK_PATH not in text


def test_a_notifier_bug_fails_its_alert_without_blocking_the_others(conn, now, caplog):
    class Broken:
        channel = "log"
        min_severity = "info"

        def send(self, alert: Alert) -> None:
            if alert.severity == "critical":
                raise KeyError("severity")

    enqueue(conn, alert(1, "critical"), alert(2))
    report = deliver_pending(conn, [Broken()], now=now)
    assert report == DeliveryReport(delivered=1, failed=1)
    assert [row[3:6] for row in deliveries(conn)] == [("failed", 1, "KeyError in the notifier"),
                                                      ("delivered", 1, None)]


def test_a_time_budget_stops_claiming_and_leaves_the_rest_pending(conn, now):
    enqueue(conn, BUDGET, alert(1))
    with ReplayServer([]) as receiver:
        report = deliver_pending(conn, [slack(receiver)], now=now, time_budget=0)
    assert report == DeliveryReport(pending=2)
    assert receiver.received == []


def test_delivery_needs_an_autocommit_connection(alerts_url, now):
    with connect(alerts_url) as conn, pytest.raises(ValueError, match="autocommit"):
        deliver_pending(conn, [], now=now)

