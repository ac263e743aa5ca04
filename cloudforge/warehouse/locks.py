"""Advisory locks on the warehouse: one writer per slice, one run of the whole platform at a time.

PostgreSQL advisory locks live in the server, so they hold across processes and machines sharing one
warehouse, and they go with the session that took them: a run that dies releases its lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg

from cloudforge.warehouse.connection import connect


def lock_key(*parts: Any) -> int:
    """A stable signed 64-bit advisory lock key for ``parts`` (the same in every process and release)."""
    text = json.dumps(parts, default=str, separators=(",", ":"))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


RUN_LOCK = lock_key("cloudforge", "platform run")


def lock_slice(
    conn: psycopg.Connection | psycopg.Cursor, table: tuple[str, ...], slice_key: Mapping[str, Any]
) -> None:
    """Wait for, then hold until the transaction ends, the right to replace one slice of ``table``.

    Take it before the slice's DELETE, in the transaction that COPYs the new rows: a second writer of the same
    slice then deletes only after the first committed, so it sees (and deletes) the first one's rows, where
    without it each would delete the old rows only and both copies would stay.
    """
    conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(*table, *slice_key.items())])


class RunInProgress(RuntimeError):
    """Another run of the whole platform holds the run lock of this warehouse."""


@contextmanager
def run_lock(url: str, run_id: str, job_name: str) -> Iterator[None]:
    """Hold the warehouse's run lock for the block, or raise ``RunInProgress`` naming the run that holds it.

    The second run is refused rather than made to wait: it would redo the same work with the same inputs
    minutes later. The lock is held by a connection of its own, named after the run (``application_name``),
    so a refused run can say which run is in progress and since when.
    """
    holder = f"{run_id[:8]} {job_name} pid {os.getpid()} on {socket.gethostname()}"
    with connect(url, autocommit=True, application_name=holder[:63]) as conn:
        if not conn.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK]).fetchone()[0]:
            raise RunInProgress(_refusal(conn))
        yield  # closing the connection releases the lock, also when the block raised


def run_lock_holder(conn: psycopg.Connection) -> tuple[str | None, datetime | None] | None:
    """(application_name, start of its lock connection) of the run holding the run lock, None when none does.

    Either may be None where the server hides other roles' sessions.
    """
    unsigned = RUN_LOCK & 0xFFFFFFFFFFFFFFFF
    return conn.execute(
        "SELECT a.application_name, a.backend_start FROM pg_locks AS l JOIN pg_stat_activity AS a USING (pid)"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        " AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [unsigned >> 32, unsigned & 0xFFFFFFFF],
    ).fetchone()


def _refusal(conn: psycopg.Connection) -> str:
    """Why a run is refused: which run holds the lock, and since when."""
    found = run_lock_holder(conn)
    if found is None:  # it ended between the two queries
        return "another run of the platform was in progress on this warehouse; start this one again"
    name, started = found
    since = f"started {started.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if started else "start not visible"
    return (
        f"another run of the platform is in progress on this warehouse: run {name or '(name not visible)'}, "
        f"{since}; this run was not started. Start it again once that one has finished."
    )
