"""Embedded PostgreSQL 16 through pgserver, with its data in the project-local state directory.

The server outlives nothing it should not: pgserver stops it when the last process that asked for it
exits, and reuses the data directory across runs.
"""

from __future__ import annotations

import warnings
from pathlib import Path


def embedded_postgres_url(state_dir: Path, *, delete_on_exit: bool = False) -> str:
    """Start (or attach to) the embedded server and return its URL; the data stays in ``state_dir/postgres``
    unless ``delete_on_exit`` (throwaway servers: tests)."""
    return _embedded_server(state_dir, delete_on_exit).get_uri()


def restart_embedded_postgres(state_dir: Path) -> None:
    """Restart the embedded server of ``state_dir``: its shared buffers then empty, as after a reboot; other
    processes' connections to it are cut; its URL stays the same (same socket directory). pgserver learns the new
    server process, so it still stops it when the last process that asked for it exits."""
    server = _embedded_server(state_dir)
    from pgserver import pg_ctl  # imported by _embedded_server, with its warnings silenced

    pg_ctl(["-w", "restart"], pgdata=server.pgdata, user=server.system_user)
    server.ensure_postgres_running()  # reads the new postmaster.pid: the process pgserver stops at exit


def _embedded_server(state_dir: Path, delete_on_exit: bool = False):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI); pgserver does not use that directory.
        warnings.simplefilter("ignore")
        import pgserver

    data_dir = state_dir / "postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(data_dir, cleanup_mode="delete" if delete_on_exit else "stop")
