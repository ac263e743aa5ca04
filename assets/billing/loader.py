"""Load FOCUS slices into raw_billing: a slice the gate passes replaces the old one, others are quarantined.

Each (provider, billing account, billing period) slice is replaced as a whole in one transaction, because
providers restate the open month every day. A slice the gate refuses is written to raw_billing.quarantine
with its reasons and is not loaded, so its previous rows stay. Every outcome is appended to
raw_billing.load_log, with the conformance warnings of the slice (rules broken on columns that do not make an
amount wrong, values normalised); a file that holds no rows, or that is a link out of its source directory,
is recorded there as skipped.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID, uuid4

import polars as pl
import psycopg
from psycopg.types.json import Jsonb

from assets.billing.conform import SOURCE_URI, conform
from assets.billing.focus import META_COLUMNS
from assets.billing.focus_files import (
    ReadOptions,
    SliceKey,
    UnreadableFile,
    deliveries,
    read_delivery,
    slices_of,
    split_slices,
)
from assets.billing.validation import Violation, validate_slices
from cloudforge.focus import COLUMNS
from cloudforge.warehouse import ensure_schema, replace_slice_csv

log = logging.getLogger(__name__)

TABLE = ("raw_billing", "focus_charges")
TABLE_COLUMNS = [c.column for c in COLUMNS] + list(META_COLUMNS)
COPY_CHUNK_ROWS = 50_000

Status = Literal["loaded", "quarantined", "failed", "skipped"]


@dataclass(frozen=True)
class SliceResult:
    key: SliceKey
    status: Status
    rows: int  # rows loaded, or rows refused
    source_uri: str  # the files of the slice (comma-separated)
    violations: list[Violation] = field(default_factory=list)  # what refused it (severity error)
    error: str | None = None  # why a load failed (status "failed")
    warnings: list[Violation] = field(default_factory=list)  # conformance warnings; why it was skipped

    def message(self) -> str:
        if self.status == "loaded":
            text = f"{self.key}: loaded {self.rows} rows from {self.source_uri}"
            return text + "".join(f" | {w.message()}" for w in self.warnings)
        reasons = [v.message() for v in self.violations or self.warnings] or [self.error or ""]
        return f"{self.key}: {self.status} ({self.rows} rows): " + " | ".join(reasons)


@dataclass
class IngestReport:
    source: str
    load_id: UUID
    slices: list[SliceResult] = field(default_factory=list)

    @property
    def loaded(self) -> list[SliceResult]:
        return [s for s in self.slices if s.status == "loaded"]

    @property
    def refused(self) -> list[SliceResult]:
        """Quarantined or failed slices: what the blocking asset check reports."""
        return [s for s in self.slices if s.status in ("quarantined", "failed")]

    @property
    def warned(self) -> list[SliceResult]:
        """Slices loaded or files skipped with conformance warnings."""
        return [s for s in self.slices if s.warnings and s.status in ("loaded", "skipped")]

    @property
    def rows_loaded(self) -> int:
        return sum(s.rows for s in self.loaded)


def load_focus_slice(
    conn: psycopg.Connection, frame: pl.DataFrame, *, source_uri: str, load_id: UUID | None = None
) -> SliceResult:
    """Validate and load one slice given with FOCUS column names (all rows one provider, account, period)."""
    conformed = conform(frame, source_uri=source_uri)
    slices = list(split_slices(conformed))
    if len(slices) != 1:
        found = ", ".join(str(key) for key, _ in slices) or "none"
        raise ValueError(f"{source_uri}: expected the rows of one slice, found {len(slices)}: {found}")
    ensure_schema(conn)
    [result] = _load_slices(conn, slices, load_id or uuid4())
    return result


def load_focus_frame(
    conn: psycopg.Connection, frame: pl.DataFrame, *, source_uri: str, load_id: UUID | None = None
) -> list[SliceResult]:
    """Validate and load every slice of a frame with FOCUS column names (any providers, accounts, periods)."""
    ensure_schema(conn)
    slices = list(split_slices(conform(frame, source_uri=source_uri)))
    return list(_load_slices(conn, slices, load_id or uuid4()))


def ingest_focus_source(
    conn: psycopg.Connection,
    source: str,
    *,
    s3=None,
    logger=log,
    options: ReadOptions = ReadOptions(),
) -> IngestReport:
    """Load every FOCUS file below a directory or ``s3://bucket/prefix`` (AWS Data Exports included).

    ``s3`` is the boto3 S3 client for s3:// sources; ``options`` bound the reader (settings ``billing``). An
    unreadable file (or export period) is quarantined under its rule (``readable``, ``duplicate_column``,
    ``expanded_size``); one without rows, or a link out of the source directory, is recorded as skipped; the
    rows read are then grouped into slices, each validated and loaded.
    """
    ensure_schema(conn)
    report = IngestReport(source=source, load_id=uuid4())
    frames = []
    found = deliveries(source, s3, options)
    logger.info(f"{source}: {len(found)} deliveries to read")
    for delivery in found:
        try:
            part = pl.DataFrame() if delivery.skipped else read_delivery(delivery, s3, options)
        except UnreadableFile as exc:
            report.slices.append(_refuse_unreadable(conn, report.load_id, delivery.uri, exc))
            logger.warning(report.slices[-1].message())
            continue
        if part.is_empty():  # a link not followed, a manifest listing no files, a CSV of only its header
            report.slices.append(_skip(conn, report.load_id, delivery.uri, delivery.skipped))
            logger.warning(report.slices[-1].message())
            continue
        frames.append(part)
    slices = [(key, pl.concat(parts, how="vertical")) for key, parts in slices_of(frames).items()]
    del frames  # the slices hold the rows now, and each slice's are freed once it is loaded and checked
    count = len(slices)
    logger.info(f"{source}: {sum(rows.height for _, rows in slices)} rows in {count} slices")
    for number, result in enumerate(_load_slices(conn, slices, report.load_id), start=1):
        report.slices.append(result)
        level = logging.INFO if result.status == "loaded" and not result.warnings else logging.WARNING
        logger.log(level, f"[{number}/{count}] {result.message()}")
    return report


def _load_slices(
    conn: psycopg.Connection, slices: list[tuple[SliceKey, pl.DataFrame]], load_id: UUID
) -> Iterator[SliceResult]:
    """Each slice validated and replaced if valid, else quarantined, in turn; the list is emptied as it goes.

    The checks run ahead in a worker thread, several slices at a time (``validate_slices``), while the slices
    stream into their transactions, so the gate costs little time; each transaction commits only when its
    slice's checks pass, else it rolls back and nothing changes.
    """
    verdicts = [Future() for _ in slices]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_check, [rows for _, rows in slices], verdicts)
        try:
            for verdict in verdicts:
                key, rows = slices.pop(0)
                yield _load(conn, key, rows, load_id, verdict)
        finally:
            for verdict in verdicts:
                verdict.cancel()  # those not checked yet: the worker stops


def _check(frames: list[pl.DataFrame], verdicts: list[Future]) -> None:
    """Each slice's verdict: what refuses it, and its conformance warnings. Stops at a cancelled verdict; lets go
    of each slice's rows once checked (the loader holds them until they are loaded)."""
    try:
        for number, found in enumerate(validate_slices(frames.pop(0) for _ in range(len(frames)))):
            if not verdicts[number].set_running_or_notify_cancel():
                return
            verdicts[number].set_result(
                ([v for v in found if v.severity == "error"], [v for v in found if v.severity != "error"])
            )
    except BaseException as exc:  # noqa: BLE001 - else the loads of the slices not judged yet wait forever
        for verdict in verdicts:
            if not verdict.done() and verdict.set_running_or_notify_cancel():
                verdict.set_exception(exc)


def _load(
    conn: psycopg.Connection, key: SliceKey, rows: pl.DataFrame, load_id: UUID, verdict: Future
) -> SliceResult:
    """Replace the slice if its verdict finds no error, else quarantine it; the verdict decides the commit."""
    files = ", ".join(rows.get_column(SOURCE_URI).unique(maintain_order=True).to_list())
    try:
        with conn.transaction():
            replace_slice_csv(conn, TABLE, key.as_dict(), TABLE_COLUMNS, _csv_chunks(rows, load_id))
            violations, warnings = verdict.result()
            if violations:
                raise psycopg.Rollback()
            loaded = SliceResult(key, "loaded", rows.height, files, warnings=warnings)
            _log(conn, load_id, loaded)
        error = None
    except psycopg.Error as exc:  # rolled back: the previous rows of the slice stay
        error = f"{type(exc).__name__}: {exc}".strip()
    violations, warnings = verdict.result()
    if violations:
        result = SliceResult(key, "quarantined", rows.height, files, violations, warnings=warnings)
        with conn.transaction():
            _quarantine(conn, load_id, key, violations)
            _log(conn, load_id, result)
    elif error:
        result = SliceResult(key, "failed", rows.height, files, error=error, warnings=warnings)
        with conn.transaction():
            _log(conn, load_id, result)
    else:
        result = loaded
    return result


def _csv_chunks(rows: pl.DataFrame, load_id: UUID) -> Iterator[bytes]:
    """The slice as CSV in table column order, a chunk at a time, rendered by polars (no per-row Python).

    Decimals lose their trailing zeros and timestamps are written as 2024-01-01T00:00:00Z, since fewer
    bytes are what makes PostgreSQL's side of COPY faster. Rows go in charge-period order (the source's order
    within a period), so a day's lines lie together in the table: the cost models read the days a load changed
    through the slice-and-day index, and a day spread over every page of its slice made them read the slice whole.
    """
    table = rows.sort("ChargePeriodStart", maintain_order=True, nulls_last=True).select(
        *(_compact(c.name) if c.kind == "decimal" else pl.col(c.name) for c in COLUMNS),
        "line_item_id",
        "extensions",
        "provider",
        "billing_period",
        pl.col(SOURCE_URI),
        pl.lit(str(load_id)).alias("load_id"),
        pl.lit(datetime.now(UTC)).alias("loaded_at"),
    )
    for chunk in table.iter_slices(COPY_CHUNK_ROWS):
        text = io.BytesIO()
        chunk.write_csv(text, include_header=False, datetime_format="%Y-%m-%dT%H:%M:%S%.fZ")
        yield text.getvalue()


def _compact(decimal_column: str) -> pl.Expr:
    """1.5000000000 -> 1.5, 10.0000000000 -> 10 (the text of a Decimal(38, 10) always has a point)."""
    return pl.col(decimal_column).cast(pl.String).str.replace(r"\.?0+$", "")


def _refuse_unreadable(conn: psycopg.Connection, load_id: UUID, uri: str, exc: UnreadableFile) -> SliceResult:
    violation = Violation(exc.rule, exc.reason, 0, [{"file": exc.uri, "record": None}])
    result = SliceResult(SliceKey(None, None, None), "quarantined", 0, uri, [violation])
    with conn.transaction():
        _quarantine(conn, load_id, result.key, [violation])
        _log(conn, load_id, result)
    return result


def _skip(conn: psycopg.Connection, load_id: UUID, uri: str, link: str | None) -> SliceResult:
    """A file read as nothing: a link not followed (``link`` says where to), or one without data rows."""
    rule, reason = ("symlink_outside_source", link) if link else ("empty_file", "no data rows")
    warning = Violation(rule, reason, 0, [{"file": uri, "record": None}], "warning")
    result = SliceResult(SliceKey(None, None, None), "skipped", 0, uri, warnings=[warning])
    with conn.transaction():
        _log(conn, load_id, result)
    return result


def _quarantine(conn: psycopg.Connection, load_id: UUID, key: SliceKey, violations: list[Violation]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO raw_billing.quarantine (load_id, provider, billing_account_id, billing_period,"
            " source_uri, rule, reason, failing_rows, example_rows, quarantined_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now())",
            [
                (
                    load_id,
                    key.provider,
                    key.billing_account_id,
                    key.billing_period,
                    ", ".join(v.files),
                    v.rule,
                    v.reason,
                    v.failing_rows,
                    Jsonb(v.examples),
                )
                for v in violations
            ],
        )


def _log(conn: psycopg.Connection, load_id: UUID, result: SliceResult) -> None:
    message = None if result.status == "loaded" else result.message()
    warnings = Jsonb([w.as_warning() for w in result.warnings])
    conn.execute(
        "INSERT INTO raw_billing.load_log (load_id, provider, billing_account_id, billing_period, source_uri,"
        " status, row_count, message, warnings, logged_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now())",
        (load_id, *result.key.as_dict().values(), result.source_uri, result.status, result.rows, message,
         warnings),
    )
