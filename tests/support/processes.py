"""Processes as the kernel sees them (Linux ``/proc``): which a command started, and whether they still run.

A process is named by (pid, start time), so a pid the kernel reuses for another process does not count as the
old one still running; a zombie (exited, not yet reaped by its parent) does not run either.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Process:
    pid: int
    started: int  # clock ticks after boot: with the pid, unique
    command: str = field(compare=False)


def _read(pid: int) -> tuple[Process, int, str] | None:
    """The process, its parent pid and its state letter; None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    return Process(pid, int(fields[19]), command), int(fields[1]), fields[0]


def _all() -> dict[int, tuple[Process, int, str]]:
    found = (_read(int(name)) for name in os.listdir("/proc") if name.isdigit())
    return {entry[0].pid: entry for entry in found if entry is not None}


def descendants(root: int) -> set[Process]:
    """``root`` and every process below it that runs now."""
    table = _all()
    tree, added = {root}, True
    while added:
        below = {pid for pid, (_, parent, _) in table.items() if parent in tree} - tree
        tree |= below
        added = bool(below)
    return {table[pid][0] for pid in tree if pid in table and table[pid][2] != "Z"}


def process(pid: int) -> Process | None:
    entry = _read(pid)
    return entry[0] if entry is not None and entry[2] != "Z" else None


def running(processes: set[Process]) -> set[Process]:
    """Those of ``processes`` that still run."""
    return {p for p in processes if process(p.pid) == p}


def wait_until_gone(processes: set[Process], timeout: float) -> set[Process]:
    """Wait up to ``timeout`` seconds for every process to end; return those still running then."""
    deadline = time.monotonic() + timeout
    while (left := running(processes)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left
