"""Deliver the outbox: every pending (alert, channel) sent once, retried with backoff, recorded.

Exactly once: a delivery is claimed with ``FOR UPDATE SKIP LOCKED``, sent, and marked delivered in the same
transaction, so a second or restarted sensor skips it while it is in flight and never sees it pending
afterwards. The one duplicate window is a crash after the notifier's HTTP success and before that commit
(one UPDATE of one row): PagerDuty folds the resend into the same alert by dedup_key; Slack shows the
message twice. A crash before the success leaves the row pending and it is sent on the next pass.

Order: deliveries go out in alert order, and one waits while an earlier alert with the same dedup_key is
still pending on its channel, so a resolve never overtakes its trigger.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import psycopg
from psycopg.rows import dict_row

from cloudforge.alerts.notifiers import SEVERITIES, Notifier
from cloudforge.alerts.outbox import Alert
from cloudforge.alerts.transport import DeliveryError
from cloudforge.clock import Clock
from cloudforge.warehouse import ensure_schema

log = logging.getLogger("cloudforge.alerts")

# One delivery row per configured channel for each alert at or above the channel's minimum severity, and
# for each resolve whose trigger went (or is going) to that channel.
OPEN = """
    INSERT INTO alerts.deliveries (alert_id, channel, status, next_attempt_at)
    SELECT o.alert_id, c.channel, CASE WHEN o.created_at < %(oldest)s THEN 'expired' ELSE 'pending' END, %(now)s
    FROM alerts.outbox o
    CROSS JOIN unnest(%(channels)s::text[], %(min_ranks)s::int[]) AS c (channel, min_rank)
    WHERE NOT EXISTS (SELECT 1 FROM alerts.deliveries d WHERE d.alert_id = o.alert_id AND d.channel = c.channel)
      AND (array_position(%(severities)s::text[], o.severity) >= c.min_rank
           OR (o.action = 'resolve' AND EXISTS (
               SELECT 1 FROM alerts.outbox t JOIN alerts.deliveries td ON td.alert_id = t.alert_id
               WHERE t.dedup_key = o.dedup_key AND t.action = 'trigger' AND td.channel = c.channel
                 AND td.status IN ('pending', 'delivered'))))
    ON CONFLICT DO NOTHING
    RETURNING status
"""

CLAIM = """
    SELECT d.alert_id, d.channel, d.attempts,
           o.dedup_key, o.action, o.source, o.severity, o.title, o.summary, o.details, o.link
    FROM alerts.deliveries d JOIN alerts.outbox o ON o.alert_id = d.alert_id
    WHERE d.status = 'pending' AND d.next_attempt_at <= %(now)s AND d.channel = ANY(%(channels)s)
      AND NOT EXISTS (
          SELECT 1 FROM alerts.deliveries e JOIN alerts.outbox p ON p.alert_id = e.alert_id
          WHERE p.dedup_key = o.dedup_key AND e.channel = d.channel AND e.status = 'pending'
            AND e.alert_id < d.alert_id)
    ORDER BY d.alert_id
    LIMIT 1
    FOR UPDATE OF d SKIP LOCKED
"""

RECORD = """
    UPDATE alerts.deliveries
    SET status = %(status)s, attempts = attempts + 1, last_error = coalesce(%(error)s, last_error),
        next_attempt_at = %(next_attempt_at)s,
        delivered_at = CASE WHEN %(status)s = 'delivered' THEN %(next_attempt_at)s END
    WHERE alert_id = %(alert_id)s AND channel = %(channel)s
"""

REMAINING = """
    SELECT count(*), min(next_attempt_at) FILTER (WHERE next_attempt_at > %(now)s)
    FROM alerts.deliveries WHERE status = 'pending' AND channel = ANY(%(channels)s)
"""


@dataclass(frozen=True)
class DeliveryPolicy:
    """How long to keep trying: exponential backoff with jitter, unless the server says Retry-After."""

    max_attempts: int = 8
    backoff_seconds: float = 30.0
    max_backoff_seconds: float = 3600.0
    max_age: timedelta = timedelta(hours=72)  # older alerts are not sent to a channel that first sees them

    def delay(self, attempts: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt: Retry-After as given, else a random
        point in the upper half of the doubled backoff (spreads retries without ever retrying at once)."""
        if retry_after is not None:
            return retry_after
        ceiling = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempts - 1))
        return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class DeliveryReport:
    """What one pass (or several, added up) did; ``pending`` and ``next_attempt_at`` are what is left."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    pending: int = 0
    next_attempt_at: datetime | None = None

    def then(self, later: DeliveryReport) -> DeliveryReport:
        return replace(
            later,
            delivered=self.delivered + later.delivered,
            retried=self.retried + later.retried,
            failed=self.failed + later.failed,
            expired=self.expired + later.expired,
        )

    def summary(self) -> str:
        text = f"delivered {self.delivered}, retried {self.retried}, failed {self.failed}"
        if self.expired:
            text += f", expired {self.expired}"
        if self.pending:
            text += f"; {self.pending} pending"
            if self.next_attempt_at:
                text += f", next attempt at {self.next_attempt_at.isoformat(timespec='seconds')}"
        return text


def deliver_pending(
    conn: psycopg.Connection,
    notifiers: Sequence[Notifier],
    *,
    now: datetime,
    policy: DeliveryPolicy = DeliveryPolicy(),
    time_budget: float | None = None,
) -> DeliveryReport:
    """One pass: send every delivery due at ``now`` through its notifier and record each outcome.

    ``conn`` must be in autocommit mode, so each delivery commits on its own. A channel that answers 429,
    5xx or not at all is left alone for the rest of the pass. Retries are timed from the failed response
    (``now`` plus the time the pass has taken). ``time_budget`` (seconds) stops claiming new deliveries
    after that long, for callers with a deadline such as a sensor tick.
    """
    if not conn.autocommit:
        raise ValueError("deliver_pending needs an autocommit connection, so each delivery commits on its own")
    started = time.monotonic()
    by_channel = {notifier.channel: notifier for notifier in notifiers}
    ensure_schema(conn)
    with conn.transaction():
        opened = conn.execute(OPEN, {
            "now": now,
            "oldest": now - policy.max_age,
            "channels": list(by_channel),
            "min_ranks": [SEVERITIES.index(n.min_severity) + 1 for n in by_channel.values()],
            "severities": list(SEVERITIES),
        }).fetchall()
    counts = {"delivered": 0, "pending": 0, "failed": 0}
    active = set(by_channel)
    while active and (time_budget is None or time.monotonic() - started < time_budget):
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            row = cur.execute(CLAIM, {"now": now, "channels": sorted(active)}).fetchone()
            if row is None:
                break
            outcome = attempt(by_channel[row["channel"]], row, policy,
                              clock=lambda: now + timedelta(seconds=time.monotonic() - started))
            cur.execute(RECORD, {"alert_id": row["alert_id"], "channel": row["channel"], "status": outcome.status,
                                 "error": outcome.error, "next_attempt_at": outcome.next_attempt_at})
        counts[outcome.status] += 1
        if outcome.channel_unavailable:
            active.discard(row["channel"])
    pending, next_attempt_at = conn.execute(REMAINING, {"now": now, "channels": list(by_channel)}).fetchone()
    return DeliveryReport(
        delivered=counts["delivered"], retried=counts["pending"], failed=counts["failed"],
        expired=sum(status == "expired" for (status,) in opened), pending=pending, next_attempt_at=next_attempt_at,
    )


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended: the delivery's new status, and whether its channel is unavailable (429, 5xx,
    network) so the rest of the pass leaves that channel alone."""

    status: str  # delivered, pending (retry at next_attempt_at), failed
    next_attempt_at: datetime
    error: str | None = None
    channel_unavailable: bool = False


def attempt(notifier: Notifier, row: dict, policy: DeliveryPolicy, clock: Callable[[], datetime]) -> Outcome:
    """Send one claimed delivery and decide what becomes of it."""
    alert = Alert(**{key: row[key] for key in
                     ("dedup_key", "action", "source", "severity", "title", "summary", "details", "link")})
    where = f"{notifier.channel}: alert {row['alert_id']} ({alert.dedup_key})"
    attempts = row["attempts"] + 1
    try:
        notifier.send(alert)
    except DeliveryError as exc:
        error, retryable, retry_after = str(exc), exc.retryable, exc.retry_after
    except Exception as exc:  # a notifier bug must not block the queue behind this alert
        log.exception("%s: the notifier raised", where)
        error, retryable, retry_after = f"{type(exc).__name__} in the notifier", False, None
    else:
        log.debug("%s: delivered", where)
        return Outcome("delivered", clock())
    if retryable and attempts < policy.max_attempts:
        retry_at = clock() + timedelta(seconds=policy.delay(attempts, retry_after))
        log.warning("%s: attempt %d failed, retrying at %s: %s", where, attempts, retry_at.isoformat(), error)
        return Outcome("pending", retry_at, error, channel_unavailable=True)
    if retryable:
        error = f"gave up after {attempts} attempts: {error}"
    log.error("%s: failed: %s", where, error)
    return Outcome("failed", clock(), error, channel_unavailable=retryable)


def drain(
    conn: psycopg.Connection,
    notifiers: Sequence[Notifier],
    *,
    clock: Clock,
    wait_seconds: float = 0.0,
    policy: DeliveryPolicy = DeliveryPolicy(),
) -> DeliveryReport:
    """Passes until nothing pending falls due within ``wait_seconds``: a one-shot flush (the CLI, the end of
    `cloudforge run`) that rides out a short Retry-After instead of leaving it to the sensor."""
    deadline = time.monotonic() + wait_seconds
    total = DeliveryReport()
    while True:
        report = deliver_pending(conn, notifiers, now=clock.now(), policy=policy)
        total = total.then(report)
        if report.next_attempt_at is None:
            return total
        delay = max(0.0, (report.next_attempt_at - clock.now()).total_seconds())
        if time.monotonic() + delay > deadline:
            return total
        time.sleep(delay)
