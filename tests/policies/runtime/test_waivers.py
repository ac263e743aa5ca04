"""Which active waiver, if any, covers a finding: policy id, glob on the resource key, last day included."""

from __future__ import annotations

from datetime import UTC, date, datetime

from policies.runtime.waivers import Waiver, WaiverBook

KEY = "aws/111111111111/us-east-1/security_group/sg-1"


def waiver(waiver_id: int, pattern: str, expires_on: date, policy: str = "CF-AWS-EC2-001") -> Waiver:
    return Waiver(waiver_id, policy, pattern, "reason", "owner@example.com", expires_on, "sql")


def test_globs_match_the_whole_key_and_case_matters():
    book = WaiverBook([waiver(1, "aws/111111111111/*", date(2026, 12, 31))], datetime(2026, 6, 1, tzinfo=UTC))
    assert book.waiver_for("CF-AWS-EC2-001", KEY).waiver_id == 1
    assert book.waiver_for("CF-AWS-EC2-002", KEY) is None  # another policy
    assert book.waiver_for("CF-AWS-EC2-001", KEY.replace("111111111111", "222222222222")) is None
    exact = WaiverBook(
        [waiver(2, "aws/111111111111/us-east-1/security_group/sg-?", date(2026, 12, 31))],
        datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert exact.waiver_for("CF-AWS-EC2-001", KEY).waiver_id == 2
    assert exact.waiver_for("CF-AWS-EC2-001", KEY + "0") is None
    assert exact.waiver_for("CF-AWS-EC2-001", KEY.upper()) is None


def test_a_waiver_applies_through_its_last_day_and_the_longest_wins():
    waivers = [
        waiver(1, "*", date(2026, 6, 1)),
        waiver(2, "*", date(2026, 6, 30)),
        waiver(3, "*", date(2026, 5, 1)),
    ]
    assert (
        WaiverBook(waivers, datetime(2026, 6, 1, 23, 59, tzinfo=UTC))
        .waiver_for("CF-AWS-EC2-001", KEY)
        .waiver_id
        == 2
    )
    assert WaiverBook(waivers[:1], datetime(2026, 6, 1, 23, 59, tzinfo=UTC)).waiver_for("CF-AWS-EC2-001", KEY)
    assert WaiverBook(waivers[:1], datetime(2026, 6, 2, tzinfo=UTC)).waiver_for("CF-AWS-EC2-001", KEY) is None
