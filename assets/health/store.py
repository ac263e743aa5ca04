"""Writing check results: one run's rows appended to ``raw_health.checks`` and the slice's outcome recorded,
in one transaction, so a failed slice leaves its previous results the latest."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import datetime
from typing import Literal

import psycopg

from cloudforge.warehouse import ensure_schema

Status = Literal["healthy", "unhealthy", "unknown"]
CHECK_COLUMNS = ("check_kind", "account_id", "region", "resource_type", "resource_id", "check_target", "status",
                 "detail", "response_ms")
RECORD_SLICE = """
    INSERT INTO raw_health.check_slices (slice_key, status, check_count, message, attempted_at, last_success_at)
    VALUES (%(slice_key)s, %(status)s, %(check_count)s, %(message)s, %(now)s,
            CASE WHEN %(status)s = 'ok' THEN %(now)s END)
    ON CONFLICT (slice_key) DO UPDATE SET
        status = excluded.status,
        check_count = coalesce(excluded.check_count, check_slices.check_count),
        message = excluded.message,
        attempted_at = excluded.attempted_at,
        last_success_at = coalesce(excluded.last_success_at, check_slices.last_success_at)
"""


@dataclass(frozen=True)
class CheckResult:
    """One check of one target: the resource (or endpoint name), what was asked, and what it said."""

    check_kind: str
    account_id: str | None
    region: str | None
    resource_type: str | None
    resource_id: str
    check_target: str
    status: Status
    detail: str | None = None
    response_ms: float | None = None


def record_slice(conn: psycopg.Connection, slice_key: str, results: Sequence[CheckResult] | None, now: datetime,
                 message: str | None = None) -> None:
    """Append ``results`` as one check run and mark the slice ok; ``results`` None marks it failed with
    ``message`` and appends nothing."""
    ensure_schema(conn)
    run_id = uuid.uuid4()
    with conn.transaction(), conn.cursor() as cur:
        if results:
            columns = ", ".join(("check_run_id", *CHECK_COLUMNS, "checked_at"))
            with cur.copy(f"COPY raw_health.checks ({columns}) FROM STDIN") as copy:
                for result in results:
                    copy.write_row((run_id, *astuple(result), now))
        cur.execute(RECORD_SLICE, {
            "slice_key": slice_key, "status": "failed" if results is None else "ok",
            "check_count": None if results is None else len(results), "message": message, "now": now,
        })
