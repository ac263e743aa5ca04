"""The outbox records state changes of a condition: reruns add nothing, a returning condition triggers again."""

from __future__ import annotations

from cloudforge.alerts import Alert, enqueue_alerts


def alert(action: str = "trigger", key: str = "policy:CF-AWS-S3-001:aws/1/us-east-1/s3_bucket/logs") -> Alert:
    return Alert(dedup_key=key, source="policy_finding", severity="high", title="t", summary="s", action=action)


def actions(conn) -> list[tuple[str, str]]:
    return conn.execute("SELECT dedup_key, action FROM alerts.outbox ORDER BY alert_id").fetchall()


def test_only_state_changes_are_enqueued(conn, now):
    key = alert().dedup_key
    assert enqueue_alerts(conn, [alert("resolve")], now) == 0  # nothing to resolve yet
    assert enqueue_alerts(conn, [alert(), alert()], now) == 1  # one trigger, however often detected
    assert enqueue_alerts(conn, [alert()], now) == 0  # a rerun of the detector
    assert enqueue_alerts(conn, [alert("resolve")], now) == 1
    assert enqueue_alerts(conn, [alert("resolve")], now) == 0
    assert enqueue_alerts(conn, [alert()], now) == 1  # the condition came back
    assert actions(conn) == [(key, "trigger"), (key, "resolve"), (key, "trigger")]


def test_conditions_are_independent(conn, now):
    assert enqueue_alerts(conn, [alert(key="a"), alert(key="b"), alert("resolve", key="a")], now) == 3
    assert actions(conn) == [("a", "trigger"), ("b", "trigger"), ("a", "resolve")]
