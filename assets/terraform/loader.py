"""Load state files into raw_terraform: each file one slice, replaced atomically with its serial and lineage.

A state whose (lineage, serial) equals the one loaded last is not read again into the warehouse; a file that
cannot be read or parsed is recorded as failed in raw_terraform.states and keeps its previous rows; a file no
longer found below its source declares nothing any more: its rows are removed. The changed states of up to
BATCH files are replaced together, in one transaction and one COPY (each still atomically).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

import orjson
import psycopg
from botocore.exceptions import BotoCoreError, ClientError

from assets.terraform.sources import read_state_file, state_files, workspace
from assets.terraform.state import State, StateError, StateFile, declared, no_cyclic_gc, read_state
from cloudforge.warehouse import ensure_schema
from cloudforge.warehouse.loader import TEXT_NULL, replace_slice, replace_slices_text, text_field

DECLARED = ("raw_terraform", "declared_resources")
BATCH = 100  # state files parsed, then loaded in one transaction and one COPY
RECORD = """
    INSERT INTO raw_terraform.states AS s (source_uri, source, workspace, serial, lineage, terraform_version,
        resource_count, status, message, attempted_at, loaded_at)
    VALUES (%(uri)s, %(source)s, %(workspace)s, %(serial)s, %(lineage)s, %(version)s, %(count)s, %(status)s, %(message)s,
        %(now)s, %(loaded_at)s)
    ON CONFLICT (source_uri) DO UPDATE SET source = excluded.source, status = excluded.status, message = excluded.message,
        attempted_at = excluded.attempted_at,
        serial = CASE WHEN %(loaded)s THEN excluded.serial ELSE s.serial END,
        lineage = CASE WHEN %(loaded)s THEN excluded.lineage ELSE s.lineage END,
        terraform_version = CASE WHEN %(loaded)s THEN excluded.terraform_version ELSE s.terraform_version END,
        resource_count = CASE WHEN %(loaded)s THEN excluded.resource_count ELSE s.resource_count END,
        loaded_at = CASE WHEN %(loaded)s THEN excluded.loaded_at ELSE s.loaded_at END
"""
COLUMNS = ("source_uri", "serial", "lineage", "address", "module", "mode", "type", "name", "index_key",
           "provider", "inventory_type", "resource_id", "attributes", "loaded_at", "account_id", "region")
CONFLICTS = """
    SELECT inventory_type, resource_id, array_agg(source_uri || ' ' || address ORDER BY source_uri, address)
    FROM raw_terraform.declared_resources
    WHERE mode = 'managed' AND resource_id IS NOT NULL
    GROUP BY inventory_type, resource_id
    HAVING count(DISTINCT source_uri) > 1
    ORDER BY 1, 2
"""


@dataclass
class LoadReport:
    loaded: dict[str, int] = field(default_factory=dict)  # source_uri -> declared rows
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # source_uri (or source) -> message
    removed: list[str] = field(default_factory=list)  # states no longer found below their source

    @property
    def rows(self) -> int:
        return sum(self.loaded.values())


def load_sources(
    conn: psycopg.Connection, sources: Iterable[tuple[str, Callable[[], object]]], now: datetime, log=None
) -> LoadReport:
    """Load every state file of each (source, opener of its boto3 S3 client or None), stamped ``now`` (the
    clock's); a source or file that fails is reported, not raised."""
    ensure_schema(conn)
    report = LoadReport()
    for source, open_s3 in sources:
        try:
            s3 = open_s3()
            uris = state_files(source, s3)
        except (OSError, BotoCoreError, ClientError, ValueError) as error:
            report.failed[source] = f"{source}: cannot list state files: {_reason(error)}"
            continue
        for start in range(0, len(uris), BATCH):
            reads = {uri: partial(read_state_file, uri, s3) for uri in uris[start:start + BATCH]}
            with no_cyclic_gc():  # the batch's states are freed before the collector runs again
                load_state_files(conn, source, reads, report, now)
        _remove_vanished(conn, source, set(uris), report)
    if log:
        log.info(f"{len(report.loaded)} states loaded ({report.rows} resources), {len(report.unchanged)} "
                 f"unchanged, {len(report.failed)} failed, {len(report.removed)} removed")
    return report


def load_state_files(
    conn: psycopg.Connection, source: str, reads: dict[str, Callable[[], bytes]], report: LoadReport,
    now: datetime,
) -> None:
    """Read each state file (uri -> its reader), then replace the slices of those that changed in one transaction
    and one COPY; a file that cannot be read or parsed is recorded as failed and keeps its rows."""
    loaded = _loaded(conn, list(reads))
    changed = []
    for uri, read in reads.items():
        try:
            state_file = read_state(uri, read())
        except (OSError, BotoCoreError, ClientError, StateError) as error:
            _failed(conn, source, now, report, uri, error)
        else:
            if state_file.lineage is not None and loaded.get(uri) == (state_file.lineage, state_file.serial):
                _record(conn, source, now, [(uri, "ok", None, None)])  # the rows loaded before are the state's rows
                report.unchanged.append(uri)
            else:
                changed.append(state_file)
    while changed:
        try:
            states = _replace(conn, source, changed, now)
        except StateError as error:  # a resource block it cannot read: that file fails, the others are loaded again
            changed = [state_file for state_file in changed if state_file.source_uri != error.source_uri]
            _failed(conn, source, now, report, error.source_uri, error)
        else:
            report.loaded |= {state.source_uri: len(state.resources) for state in states}
            return


def _replace(conn: psycopg.Connection, source: str, state_files: list[StateFile], now: datetime) -> list[State]:
    """The slices of ``state_files`` replaced with their declared resources, in one transaction and one COPY. Each
    file's resources are read from its blocks as the COPY reaches it, so PostgreSQL stores the rows of one state
    while the next is read, not after all of them are."""
    states = []

    def chunks():
        for state_file in state_files:
            states.append(state := declared(state_file))
            yield copy_text(state, now)

    with conn.transaction():
        slices = [{"source_uri": state_file.source_uri} for state_file in state_files]
        replace_slices_text(conn, DECLARED, slices, COLUMNS, chunks())
        _record(conn, source, now, [(state.source_uri, "ok", None, state) for state in states])
    return states


def _failed(conn, source: str, now: datetime, report: LoadReport, uri: str, error: Exception) -> None:
    message = str(error) if isinstance(error, StateError) else f"{uri}: cannot read: {_reason(error)}"
    _record(conn, source, now, [(uri, "failed", message, None)])
    report.failed[uri] = message


def conflicts(conn: psycopg.Connection) -> list[tuple[str, str, list[str]]]:
    """Resources declared by more than one state: (inventory_type, resource_id, ['<state> <address>', ...])."""
    return conn.execute(CONFLICTS).fetchall()


def copy_text(state: State, now: datetime) -> str:
    """A state's rows (``COLUMNS``) in COPY's text format, in a fifth of the client time of Python rows through
    ``write_row``: what the rows share (the state, the time, the few distinct kinds, providers and placements)
    rendered once, each row's own fields escaped, JSON written by orjson (what decoded it: 5x faster than json).
    JSON escapes every control character, so of the characters COPY escapes only the backslash can be in it."""
    shared = "\t".join(map(text_field, (state.source_uri, state.serial, state.lineage)))
    loaded_at = text_field(now.isoformat())
    repeated: dict[tuple, tuple[str, str, str]] = {}  # module, mode, type, provider, ... region -> their fields
    lines = []
    for r in state.resources:
        values = (r.module, r.mode, r.type, r.provider, r.inventory_type, r.account_id, r.region)
        fields = repeated.get(values)
        if fields is None:
            module, mode, type_, provider, inventory_type, account, region = map(text_field, values)
            fields = repeated[values] = (f"{module}\t{mode}\t{type_}", f"{provider}\t{inventory_type}",
                                         f"{loaded_at}\t{account}\t{region}")
        kind, provided, placed = fields
        index_key = r.index_key
        index_key = TEXT_NULL if index_key is None else orjson.dumps(index_key).decode().replace("\\", "\\\\")
        attributes = orjson.dumps(r.attributes).decode().replace("\\", "\\\\")
        lines.append(f"{shared}\t{text_field(r.address)}\t{kind}\t{text_field(r.name)}\t{index_key}\t{provided}\t"
                     f"{text_field(r.resource_id)}\t{attributes}\t{placed}\n")
    return "".join(lines)


def _loaded(conn: psycopg.Connection, uris: list[str]) -> dict[str, tuple[str, int]]:
    """uri -> (lineage, serial) of the rows loaded last, for those of ``uris`` loaded before."""
    rows = conn.execute(
        "SELECT source_uri, lineage, serial FROM raw_terraform.states WHERE source_uri = ANY(%s) AND loaded_at IS NOT NULL",
        [uris],
    ).fetchall()
    return {uri: (lineage, serial) for uri, lineage, serial in rows}


def _remove_vanished(conn: psycopg.Connection, source: str, listed: set[str], report: LoadReport) -> None:
    known = conn.execute("SELECT source_uri FROM raw_terraform.states WHERE source = %s ORDER BY 1", [source])
    for uri in [uri for (uri,) in known.fetchall() if uri not in listed]:
        with conn.transaction():
            replace_slice(conn, DECLARED, {"source_uri": uri}, COLUMNS, [])
            conn.execute("DELETE FROM raw_terraform.states WHERE source_uri = %s", [uri])
        report.removed.append(uri)


def _record(conn, source: str, now: datetime, attempts: list[tuple[str, str, str | None, State | None]]) -> None:
    """The latest attempt of each (uri, status, message, state loaded or None), in one round trip; a failure keeps
    the serial, lineage and loaded_at of the rows still there."""
    with conn.cursor() as cur:
        cur.executemany(RECORD, [
            {"uri": uri, "source": source, "workspace": workspace(uri), "serial": state and state.serial,
             "lineage": state and state.lineage, "version": state and state.terraform_version,
             "count": state and len(state.resources), "status": status, "message": message, "now": now,
             "loaded_at": now if state else None, "loaded": state is not None}
            for uri, status, message, state in attempts
        ])


def _reason(error: Exception) -> str:
    """What went wrong, without the exception's arguments beyond the service's own message."""
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code", "ClientError")
    return f"{type(error).__name__}: {getattr(error, 'strerror', None) or error}"
