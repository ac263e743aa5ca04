"""How a run's findings compare with what stood before: what is written, what opens, what is gone."""

from __future__ import annotations

from policies.runtime.lifecycle import FindingRow, compare


def finding(
    policy: str, resource: str, status: str = "open", message: str = "bad", waiver: int | None = None
):
    key = f"aws/111111111111/us-east-1/s3_bucket/{resource}"
    return FindingRow(
        f"{policy}:{key}",
        policy,
        key,
        "111111111111",
        "us-east-1",
        "s3_bucket",
        resource,
        "high",
        message,
        status,
        waiver,
    )


def test_unchanged_findings_are_not_written_and_open_nothing():
    before = [finding("P1", "a"), finding("P2", "a", "waived", waiver=7)]
    changes = compare({row.finding_id: row.state for row in before}, before)
    assert (changes.written, changes.opened, changes.gone) == ([], [], [])


def test_new_changed_and_vanished_findings():
    kept, reworded, unwaived, vanished = (
        finding("P1", "a"),
        finding("P2", "a"),
        finding("P3", "a", "waived", waiver=7),
        finding("P4", "a"),
    )
    previous = {row.finding_id: row.state for row in (kept, reworded, unwaived, vanished)}
    new = finding("P5", "b")
    seen = [kept, reworded._replace(message="worse"), unwaived._replace(status="open", waiver_id=None), new]

    changes = compare(previous, seen)

    assert changes.written == seen[1:]
    assert changes.opened == [seen[2], new]  # a rewording of an open finding opens nothing
    assert changes.gone == [vanished.finding_id]
