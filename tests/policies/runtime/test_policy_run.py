"""A policy run over a hand-built inventory in a real PostgreSQL: what it stores, and how findings live on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from policy_inventory import (
    ACCOUNT,
    INVENTORY,
    LOGS_BUCKET,
    PUBLIC_DB,
    SSH_GROUP,
    engine_findings,
    key_of,
    load_inventory,
)

from cloudforge.settings import PolicyWaiver
from cloudforge.warehouse import connect
from policies.runtime import EvaluationReport, evaluate_inventory

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
LATEST = NOW + timedelta(days=2)
LINK = "http://dashboards.example/compliance"
URGENT = ("critical", "high")


def run(url: str, evaluator, now: datetime, waivers=()) -> EvaluationReport:
    with connect(url, autocommit=True) as conn:
        return evaluate_inventory(conn, evaluator, config_waivers=waivers, now=now, alert_link=LINK)


def stored(url: str) -> dict[str, dict]:
    """raw_policies.findings by finding id."""
    with connect(url) as conn:
        cursor = conn.execute("SELECT * FROM raw_policies.findings")
        names = [column.name for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def pick(row: dict, *columns: str) -> tuple:
    return tuple(row[column] for column in columns)


def ids_of(findings) -> set[str]:
    return {f"{f.policy_id}:{f.resource_key}" for f in findings}


def outbox(url: str) -> set[tuple[str, str, str]]:
    with connect(url) as conn:
        return set(conn.execute("SELECT dedup_key, action, severity FROM alerts.outbox").fetchall())


def test_a_run_stores_every_finding_the_engine_makes_with_its_first_sighting(policy_url, evaluator):
    report = run(policy_url, evaluator, NOW)

    expected = engine_findings(evaluator, INVENTORY, NOW)
    planted = {
        f"CF-AWS-S3-001:{key_of(LOGS_BUCKET)}",
        f"CF-AWS-S3-002:{key_of(LOGS_BUCKET)}",
        f"CF-COMMON-TAG-001:{key_of(LOGS_BUCKET)}",
        f"CF-AWS-EC2-001:{key_of(SSH_GROUP)}",
        f"CF-AWS-RDS-002:{key_of(PUBLIC_DB)}",
    }
    assert planted <= ids_of(expected)
    rows = stored(policy_url)
    assert {
        finding_id: (row["severity"], row["message"], row["status"]) for finding_id, row in rows.items()
    } == {f"{f.policy_id}:{f.resource_key}": (f.severity, f.message, "open") for f in expected}
    for row in rows.values():
        assert (row["first_seen_at"], row["last_seen_at"], row["status_changed_at"], row["resolved_at"]) == (
            NOW,
            NOW,
            NOW,
            None,
        )
        assert (
            row["resource_key"]
            == f"aws/{row['account_id']}/{row['region']}/{row['resource_type']}/{row['resource_id']}"
        )

    judging = {
        t: sum(t in p.resource_types for p in evaluator.library.policies) for t in {r[2] for r in INVENTORY}
    }
    assert (report.resources, report.evaluations) == (
        len(INVENTORY),
        sum(judging[row[2]] for row in INVENTORY),
    )
    assert (report.open_findings, report.new_findings, report.resolved_findings) == (
        len(expected),
        len(expected),
        0,
    )
    with connect(policy_url) as conn:
        catalogue = dict(conn.execute("SELECT policy_id, frameworks FROM raw_policies.policies").fetchall())
        runs = conn.execute(
            "SELECT run_id::text, evaluated_at, open_findings FROM raw_policies.evaluation_runs"
        ).fetchall()
    assert catalogue.keys() == evaluator.policies.keys()
    assert catalogue["CF-AWS-S3-001"] == {
        k: list(v) for k, v in evaluator.policies["CF-AWS-S3-001"].frameworks.items()
    }
    assert runs == [(report.run_id, NOW, len(expected))]


def test_a_finding_not_seen_again_is_resolved_and_reopened_when_it_returns(policy_url, evaluator):
    run(policy_url, evaluator, NOW)
    group_findings = ids_of(engine_findings(evaluator, [SSH_GROUP], NOW))
    others = ids_of(engine_findings(evaluator, INVENTORY, NOW)) - group_findings

    load_inventory(policy_url, [row for row in INVENTORY if row is not SSH_GROUP])
    report = run(policy_url, evaluator, LATER)
    rows = stored(policy_url)
    assert report.resolved_findings == len(group_findings) > 0
    for finding_id in group_findings:
        resolved = pick(rows[finding_id], "status", "resolved_at", "last_seen_at", "status_changed_at")
        assert resolved == ("resolved", LATER, NOW, LATER)
    for finding_id in others:
        assert pick(rows[finding_id], "status", "last_seen_at", "status_changed_at") == ("open", LATER, NOW)

    load_inventory(policy_url, INVENTORY)
    report = run(policy_url, evaluator, LATEST)
    rows = stored(policy_url)
    assert report.new_findings == len(group_findings)
    for finding_id in group_findings:
        reopened = pick(rows[finding_id], "status", "first_seen_at", "resolved_at", "status_changed_at")
        assert reopened == ("open", NOW, None, LATEST)


def test_an_unreadable_resource_is_quarantined_and_keeps_its_findings(policy_url, evaluator):
    run(policy_url, evaluator, NOW)
    broken = PUBLIC_DB[:4] + ({"Engine": "postgres", "Tags": []},)  # no DBInstanceIdentifier
    load_inventory(policy_url, [broken if row is PUBLIC_DB else row for row in INVENTORY])

    report = run(policy_url, evaluator, LATER)

    assert [(e.resource_key, e.error) for e in report.mapping_errors] == [
        (key_of(PUBLIC_DB), "rds_instance document has no DBInstanceIdentifier field")
    ]
    with connect(policy_url) as conn:
        quarantined = conn.execute(
            "SELECT resource_key, run_id::text FROM raw_policies.mapping_errors"
        ).fetchall()
    assert quarantined == [(key_of(PUBLIC_DB), report.run_id)]
    rows = stored(policy_url)
    database = rows[f"CF-AWS-RDS-002:{key_of(PUBLIC_DB)}"]
    assert (database["status"], database["last_seen_at"]) == ("open", NOW)  # neither seen nor resolved
    assert report.resolved_findings == 0
    assert report.resources == len(INVENTORY) - 1


def test_a_waiver_from_settings_hides_a_finding_through_its_last_day(policy_url, evaluator):
    ssh = f"CF-AWS-EC2-001:{key_of(SSH_GROUP)}"
    waiver = PolicyWaiver(
        policy_id="CF-AWS-EC2-001",
        resource_pattern=f"aws/{ACCOUNT}/*/security_group/*",
        reason="bastion host, reviewed",
        owner="secops@example.com",
        expires_on=LATER.date(),
    )

    report = run(policy_url, evaluator, NOW, [waiver])
    with connect(policy_url) as conn:
        [(waiver_id, origin)] = conn.execute("SELECT waiver_id, origin FROM raw_policies.waivers").fetchall()
    rows = stored(policy_url)
    assert (rows[ssh]["status"], rows[ssh]["waiver_id"], origin) == ("waived", waiver_id, "config")
    assert {row["status"] for finding_id, row in rows.items() if finding_id != ssh} == {"open"}
    assert report.waived_findings == 1
    assert (f"policy:{ssh}", "trigger", "high") not in outbox(policy_url)  # a waived finding does not alert

    run(policy_url, evaluator, LATER.replace(hour=23, minute=59), [waiver])  # the last day of the waiver
    assert stored(policy_url)[ssh]["status"] == "waived"

    after = datetime.combine(LATER.date() + timedelta(days=1), datetime.min.time(), UTC)
    report = run(policy_url, evaluator, after, [waiver])
    row = stored(policy_url)[ssh]
    assert (row["status"], row["waiver_id"], row["status_changed_at"], row["first_seen_at"]) == (
        "open",
        None,
        after,
        NOW,
    )
    assert (report.waived_findings, report.new_findings) == (0, 1)
    assert (f"policy:{ssh}", "trigger", "high") in outbox(
        policy_url
    )  # open for the first time: it alerts now


def test_a_waiver_inserted_with_sql_hides_a_finding_until_it_expires(policy_url, evaluator):
    database = f"CF-AWS-RDS-002:{key_of(PUBLIC_DB)}"
    run(policy_url, evaluator, NOW)
    with connect(policy_url) as conn:
        (waiver_id,) = conn.execute(
            "INSERT INTO raw_policies.waivers (policy_id, resource_pattern, reason, owner, expires_on)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING waiver_id",
            ("CF-AWS-RDS-002", key_of(PUBLIC_DB), "behind a firewall", "dba@example.com", date(2026, 3, 31)),
        ).fetchone()
        conn.commit()

    config = PolicyWaiver(
        policy_id="CF-NO-SUCH-POLICY", reason="typo", owner="x@example.com", expires_on=date(2026, 12, 31)
    )
    report = run(policy_url, evaluator, LATER, [config])  # replacing config waivers leaves SQL ones alone
    row = stored(policy_url)[database]
    assert (row["status"], row["waiver_id"], row["status_changed_at"]) == ("waived", waiver_id, LATER)
    assert report.unknown_waiver_policies == ["CF-NO-SUCH-POLICY"]

    report = run(policy_url, evaluator, datetime(2026, 4, 1, tzinfo=UTC))
    row = stored(policy_url)[database]
    assert (row["status"], row["waiver_id"]) == ("open", None)
    with connect(policy_url) as conn:
        left = conn.execute(
            "SELECT policy_id, origin FROM raw_policies.waivers ORDER BY waiver_id"
        ).fetchall()
    assert left == [("CF-AWS-RDS-002", "sql")]  # the config waiver left with the setting; the SQL one stays


def test_alerts_are_enqueued_once_per_new_critical_or_high_finding(policy_url, evaluator):
    urgent = {
        (f"policy:{f.policy_id}:{f.resource_key}", "trigger", f.severity)
        for f in engine_findings(evaluator, INVENTORY, NOW)
        if f.severity in URGENT
    }
    assert len(urgent) >= 4  # S3-001, S3-002 (high), EC2-001 (high), RDS-002 (critical)

    first = run(policy_url, evaluator, NOW)
    second = run(policy_url, evaluator, LATER)
    assert outbox(policy_url) == urgent
    assert (first.alerts_enqueued, second.alerts_enqueued) == (len(urgent), 0)
    with connect(policy_url) as conn:
        source, link, title, details = conn.execute(
            "SELECT source, link, title, details FROM alerts.outbox WHERE dedup_key = %s",
            (f"policy:CF-AWS-RDS-002:{key_of(PUBLIC_DB)}",),
        ).fetchone()
    assert (source, link) == ("policy_finding", LINK)
    assert title == f"{evaluator.policies['CF-AWS-RDS-002'].title}: orders"
    assert (details["resource_key"], details["account_id"]) == (key_of(PUBLIC_DB), "222222222222")

    load_inventory(policy_url, [row for row in INVENTORY if row is not PUBLIC_DB])
    resolved = run(policy_url, evaluator, LATEST)
    assert outbox(policy_url) - urgent == {
        (f"policy:CF-AWS-RDS-002:{key_of(PUBLIC_DB)}", "resolve", "critical")
    }
    assert resolved.alerts_enqueued == 1


@pytest.mark.parametrize("bad", [{"reason": ""}, {"owner": ""}, {"expires_on": "someday"}, {"policy_id": ""}])
def test_a_malformed_waiver_in_settings_is_refused_naming_the_field(bad):
    from pydantic import ValidationError

    from cloudforge.settings import load_settings

    waiver = {"policy_id": "CF-AWS-S3-001", "reason": "r", "owner": "o", "expires_on": "2026-12-31", **bad}
    with pytest.raises(ValidationError, match=rf"policies\.waivers\.0\.{next(iter(bad))}"):
        load_settings(policies={"waivers": [waiver]})
