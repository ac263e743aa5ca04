"""Sync the AWS inventory into ``raw_aws``: accounts x regions x resource types, one atomic slice each.

Slices are fetched concurrently by a bounded thread pool; this thread alone writes to the warehouse, one
transaction per slice. A slice that succeeds replaces its own rows (DELETE + COPY) and records its outcome;
a slice that fails records the error and touches nothing else, so the previous rows of that slice stay.
"""

from __future__ import annotations

import json
import logging
import queue
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from assets.aws.clients import AccountSession, open_account
from assets.aws.collectors import GLOBAL_REGION, RESOURCE_TYPES, ResourceType
from assets.aws.errors import describe_error
from cloudforge.clock import Clock
from cloudforge.settings import AwsSettings
from cloudforge.warehouse import connect, ensure_schema, replace_slice

log = logging.getLogger(__name__)

RESOURCES_TABLE = ("raw_aws", "resources")
SLICE_KEY = ("account_id", "region", "resource_type")
RESOURCE_COLUMNS = (*SLICE_KEY, "resource_id", "arn", "document", "sync_id", "synced_at")

RECORD_SLICE = """
    INSERT INTO raw_aws.sync_slices
        (account_id, region, resource_type, status, row_count, sync_id, attempted_at, last_success_at)
    VALUES (%(account_id)s, %(region)s, %(resource_type)s, %(status)s, %(row_count)s, %(sync_id)s,
            %(attempted_at)s, %(last_success_at)s)
    ON CONFLICT (account_id, region, resource_type) DO UPDATE SET
        status = excluded.status,
        sync_id = excluded.sync_id,
        attempted_at = excluded.attempted_at,
        -- a failed slice keeps its previous rows, so it keeps their count and success time
        row_count = coalesce(excluded.row_count, sync_slices.row_count),
        last_success_at = coalesce(excluded.last_success_at, sync_slices.last_success_at)
"""
RECORD_ERROR = """
    INSERT INTO raw_aws.sync_errors
        (sync_id, account_id, region, resource_type, error_code, message, occurred_at)
    VALUES (%(sync_id)s, %(account_id)s, %(region)s, %(resource_type)s, %(error_code)s, %(message)s,
            %(attempted_at)s)
"""


@dataclass(frozen=True)
class SliceResult:
    """The outcome of one (account, region, resource type) slice; ``row_count`` is None when it failed."""

    account_id: str
    region: str
    resource_type: str
    row_count: int | None = None
    error_code: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.error_code is None

    def __str__(self) -> str:
        outcome = f"{self.row_count} rows" if self.ok else f"FAILED {self.error_code}: {self.message}"
        return f"{self.account_id} {self.region} {self.resource_type}: {outcome}"


@dataclass(frozen=True)
class _Slice:
    account_id: str
    region: str
    resource_type: ResourceType

    @property
    def key(self) -> dict[str, str]:
        return dict(zip(SLICE_KEY, (self.account_id, self.region, self.resource_type.name), strict=True))


@dataclass
class SyncReport:
    """What one sync did: every slice's outcome (sorted by account, region, type) and the totals."""

    sync_id: str
    started_at: datetime
    duration_seconds: float = 0.0
    slices: list[SliceResult] = field(default_factory=list)

    @property
    def failures(self) -> list[SliceResult]:
        return [result for result in self.slices if not result.ok]

    @property
    def slices_ok(self) -> int:
        return len(self.slices) - len(self.failures)

    @property
    def slices_failed(self) -> int:
        return len(self.failures)

    @property
    def rows_by_type(self) -> dict[str, int]:
        """Rows loaded per resource type by the slices that succeeded in this sync."""
        counts = Counter()
        for result in self.slices:
            counts[result.resource_type] += result.row_count or 0
        return dict(sorted(counts.items()))

    @property
    def total_rows(self) -> int:
        return sum(self.rows_by_type.values())


Progress = Callable[[SliceResult, int, int], None]


def sync_inventory(
    aws: AwsSettings,
    conn_or_url: psycopg.Connection | str,
    *,
    clock: Clock,
    resource_types: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Collect every configured slice and load it into ``raw_aws.resources``; never raises for a failed slice.

    ``resource_types`` limits the sync to some types (default: all of ``RESOURCE_TYPES``). ``progress`` is
    called after each slice with (result, slices done, slices total). A passed connection is used as is
    (each slice is its own ``conn.transaction()``); a URL is opened in autocommit mode and closed.
    """
    if isinstance(conn_or_url, str):
        with connect(conn_or_url, autocommit=True) as conn:
            return sync_inventory(aws, conn, clock=clock, resource_types=resource_types, progress=progress)
    conn = conn_or_url
    if not aws.regions:
        raise ValueError("aws.regions is empty: name at least one region to inventory")
    unknown = sorted(set(resource_types or ()) - RESOURCE_TYPES.keys())
    if unknown:
        raise ValueError(f"unknown AWS resource types {unknown}; known: {', '.join(RESOURCE_TYPES)}")
    types = [RESOURCE_TYPES[name] for name in resource_types or RESOURCE_TYPES]
    plan = [
        _Slice(account.id, region, resource_type)
        for account in aws.accounts
        for resource_type in types
        for region in ([GLOBAL_REGION] if resource_type.is_global else aws.regions)
    ]
    report = SyncReport(sync_id=str(uuid.uuid4()), started_at=clock.now())
    started = time.monotonic()
    log.info("aws inventory %s: %d slices in %d accounts", report.sync_id, len(plan), len(aws.accounts))
    ensure_schema(conn)
    # Workers hand each fetched slice over through a queue rather than keeping it in a Future, so its rows
    # are freed as soon as they are stored, whatever the size of the estate.
    fetched: queue.Queue[tuple[_Slice, list[tuple] | None, Exception | None]] = queue.Queue()

    def fetch(job: _Slice, session: Future[AccountSession]) -> None:
        # Global services are called in the first region, the partition they belong to.
        region = aws.regions[0] if job.resource_type.is_global else job.region
        try:
            fetched.put((job, _collect(session, job.resource_type, region), None))
        except Exception as exc:  # every failure belongs to its slice; the sync goes on
            fetched.put((job, None, exc))

    pool = ThreadPoolExecutor(aws.max_workers, "aws-inventory")
    try:
        sessions = {account.id: pool.submit(open_account, aws, account) for account in aws.accounts}
        for job in plan:
            pool.submit(fetch, job, sessions[job.account_id])
        for done in range(1, len(plan) + 1):
            job, rows, error = fetched.get()
            secrets = _secrets(sessions[job.account_id]) if error is not None else []
            now = clock.now()
            result = store_slice(conn, report.sync_id, job.key, rows, error, secrets, now=now)
            report.slices.append(result)
            log.info("aws inventory %d/%d %s", done, len(plan), result)
            if progress is not None:
                progress(result, done, len(plan))
    finally:  # if the warehouse fails mid-sync, do not start the slices still queued
        pool.shutdown(cancel_futures=True)
    report.slices.sort(key=lambda result: (result.account_id, result.region, result.resource_type))
    report.duration_seconds = round(time.monotonic() - started, 3)
    return report


def _collect(session: Future[AccountSession], resource_type: ResourceType, region: str) -> list[tuple]:
    """All (resource_id, arn, document JSON) of one slice; raises if its account or any call failed.

    The account's session future was submitted before any fetch, so a worker reaches it first: waiting
    on it here cannot starve the pool.
    """
    rows, seen = [], set()
    for resource_id, arn, doc in resource_type.collect(session.result(), region):
        if not resource_id:
            raise ValueError(f"{resource_type.name} in {region}: a resource without an id (arn {arn})")
        if resource_id in seen:
            raise ValueError(f"{resource_type.name} in {region}: resource {resource_id} listed twice")
        seen.add(resource_id)
        rows.append((resource_id, arn, json.dumps(doc)))
    return rows


def _secrets(session: Future[AccountSession]) -> list[str]:
    """The credentials an account's session holds, to scrub from its error messages."""
    return session.result().secrets() if session.exception() is None else []


def store_slice(
    conn: psycopg.Connection,
    sync_id: str,
    key: dict[str, str],
    rows: list[tuple] | None,
    error: Exception | None = None,
    secrets: Sequence[str] = (),
    *,
    now: datetime,
) -> SliceResult:
    """Write one fetched slice (rows of resource_id, arn, document JSON), or its failure, in one transaction,
    stamped ``now`` (the clock's).

    Rows the warehouse rejects (say a NUL character in a document) fail their slice like an API error would.
    """
    record = dict(key, sync_id=sync_id, attempted_at=now)
    if error is None:
        try:
            loaded = ((*key.values(), *row, sync_id, now) for row in rows)
            outcome = dict(record, status="ok", row_count=len(rows), last_success_at=now)
            # A crash may lose this commit (the next sync reloads the slice) but never corrupts it; not waiting
            # for the WAL flush of every slice makes many small slices load at COPY speed.
            also = [("SET LOCAL synchronous_commit = off", None), (RECORD_SLICE, outcome)]
            replace_slice(conn, RESOURCES_TABLE, key, RESOURCE_COLUMNS, loaded, also)
            return SliceResult(**key, row_count=len(rows))
        except (psycopg.DataError, psycopg.IntegrityError) as exc:
            error = exc
    error_code, message = describe_error(error, secrets)
    with conn.transaction():
        conn.execute(RECORD_ERROR, dict(record, error_code=error_code, message=message))
        conn.execute(RECORD_SLICE, dict(record, status="failed", row_count=None, last_success_at=None))
    return SliceResult(**key, error_code=error_code, message=message)
