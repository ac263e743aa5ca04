"""Slice locks and the run lock, on the real embedded PostgreSQL, with writers in threads of their own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from cloudforge.warehouse import RunInProgress, connect, create_database, replace_slice, replace_slices, run_lock
from cloudforge.warehouse.locks import lock_key, run_lock_holder

TABLE = ("public", "items")
COLUMNS = ["slice", "item", "writer"]


@pytest.fixture(scope="module")
def url(warehouse_url: str) -> str:
    return create_database(warehouse_url, "locks")


@pytest.fixture
def items(url: str) -> str:
    """public.items with slice 's' written by 'old' and slice 't' by 'other'."""
    with connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS items")
        conn.execute("CREATE TABLE items (slice text NOT NULL, item int NOT NULL, writer text NOT NULL)")
        conn.execute("INSERT INTO items VALUES ('s', 1, 'old'), ('s', 2, 'old'), ('t', 1, 'other')")
    return url


class PausedWriter(threading.Thread):
    """Replaces a slice on its own connection, pausing inside the transaction (after the DELETE, mid-COPY)
    until ``resume()``."""

    def __init__(self, url: str, slice_name: str, writer: str):
        super().__init__(daemon=True)
        self.url, self.slice_name, self.writer = url, slice_name, writer
        self.inside, self.resumed = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def rows(self) -> Iterator[tuple]:
        yield self.slice_name, 1, self.writer
        self.inside.set()
        self.resumed.wait(30)
        yield self.slice_name, 2, self.writer
        yield self.slice_name, 3, self.writer

    def run(self) -> None:
        try:
            with connect(self.url, autocommit=True) as conn:
                replace_slice(conn, TABLE, {"slice": self.slice_name}, COLUMNS, self.rows())
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc

    @classmethod
    def inside_its_transaction(cls, url: str, slice_name: str) -> PausedWriter:
        """A writer 'first' started and paused after its DELETE."""
        writer = cls(url, slice_name, "first")
        writer.start()
        assert writer.inside.wait(30)
        return writer

    def resume(self) -> None:
        self.resumed.set()
        self.join(30)
        assert self.error is None and not self.is_alive()


class Writer(threading.Thread):
    """Replaces a slice at once with rows of writer 'second', on its own connection, starting at once."""

    def __init__(self, url: str, slice_name: str):
        super().__init__(daemon=True)
        self.url, self.slice_name, self.writer = url, slice_name, "second"
        self.pid: int | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            with connect(self.url, autocommit=True) as conn:
                self.pid = conn.info.backend_pid
                rows = [(self.slice_name, n, self.writer) for n in (1, 2, 3)]
                replace_slice(conn, TABLE, {"slice": self.slice_name}, COLUMNS, rows)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc


def wait_for(condition: Callable[[], object], what: str) -> object:
    deadline = time.monotonic() + 30
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return found


def waiting_on(url: str, writer: Writer) -> str | None:
    """The lock ``writer``'s backend waits for (pg_stat_activity's wait_event); None while not waiting."""
    if writer.pid is None:
        return None
    with connect(url) as conn:
        found = conn.execute(
            "SELECT wait_event FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'",
            [writer.pid],
        ).fetchone()
    return found and found[0]


def slice_rows(url: str) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute("SELECT slice, item, writer FROM items ORDER BY slice, item, writer").fetchall()


def test_two_replacements_of_one_slice_at_once_leave_one_copy(items: str):
    """The second writer waits on the slice lock, then deletes the first one's committed rows."""
    first = PausedWriter.inside_its_transaction(items, "s")
    second = Writer(items, "s")
    waited = wait_for(lambda: waiting_on(items, second) or not second.is_alive(), "the second writer")
    first.resume()
    second.join(30)
    assert second.error is None
    assert slice_rows(items) == [("s", n, "second") for n in (1, 2, 3)] + [("t", 1, "other")]
    assert waited == "advisory"  # the slice lock, taken before the DELETE


def test_other_slices_are_replaced_while_one_is_locked(items: str):
    first = PausedWriter.inside_its_transaction(items, "s")
    other = Writer(items, "t")
    other.join(30)  # does not wait for the paused slice
    assert other.error is None and not other.is_alive()
    first.resume()
    assert slice_rows(items) == [
        ("s", 1, "first"), ("s", 2, "first"), ("s", 3, "first"),
        ("t", 1, "second"), ("t", 2, "second"), ("t", 3, "second"),
    ]


def test_several_slices_are_replaced_together_and_only_they(items: str):
    with connect(items, autocommit=True) as conn:
        conn.execute("INSERT INTO items VALUES ('u', 1, 'other')")
        rows = [("s", 5, "both"), ("t", 6, "both"), ("t", 7, "both")]
        assert replace_slices(conn, TABLE, [{"slice": "s"}, {"slice": "t"}], COLUMNS, rows) == 3
    assert slice_rows(items) == [("s", 5, "both"), ("t", 6, "both"), ("t", 7, "both"), ("u", 1, "other")]


def test_a_slice_lock_key_is_the_same_in_every_process():
    """Unlike Python's hash(), which is salted per process: two processes must agree on the key."""
    parts = ("raw_billing", "focus_charges", ("provider", "aws"), ("billing_period", "2026-09-01"))
    code = f"from cloudforge.warehouse.locks import lock_key, run_lock_holder; print(lock_key(*{parts!r}))"
    other = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": "12345"},
        capture_output=True, text=True, check=True,
    )
    assert int(other.stdout) == lock_key(*parts)
    assert lock_key(*parts) != lock_key(*parts[:3], ("billing_period", "2026-10-01"))
    assert -(2**63) <= lock_key(*parts) < 2**63


def test_a_second_run_is_refused_naming_the_run_in_progress(url: str):
    before = datetime.now(UTC).replace(microsecond=0)
    with run_lock(url, "1a2b3c4d-first", "refresh_everything"):
        with pytest.raises(RunInProgress) as refused, run_lock(url, "5e6f7a8b-second", "refresh_everything"):
            pytest.fail("a second run took the lock")
    message = str(refused.value)
    assert "another run of the platform is in progress" in message
    assert f"run 1a2b3c4d refresh_everything pid {os.getpid()}" in message
    started = re.search(r"started (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", message)
    assert before <= datetime.fromisoformat(started[1]).replace(tzinfo=UTC) <= datetime.now(UTC)
    with run_lock(url, "9c0d1e2f-third", "refresh_everything"):  # released when the first ended
        pass


def test_the_run_lock_goes_with_a_run_that_dies(url: str):
    """A run whose process ends without cleaning up (killed) releases the lock with its connection."""
    code = (
        "import time; from cloudforge.warehouse import run_lock\n"
        f"with run_lock({url!r}, 'dead0000-run', 'refresh_everything'):\n"
        "    print('held', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "held\n"
        with pytest.raises(RunInProgress, match="dead0000"), run_lock(url, "5e6f7a8b-second", "refresh"):
            pass
    finally:
        child.kill()
        child.wait()
    wait_for(lambda: not _run_lock_held(url), "the killed run's lock to be released")
    with run_lock(url, "9c0d1e2f-third", "refresh_everything"):
        pass


def _run_lock_held(url: str) -> bool:
    with connect(url) as conn:
        return run_lock_holder(conn) is not None

