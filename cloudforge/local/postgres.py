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
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI); pgserver does not use that directory.
        warnings.simplefilter("ignore")
        import pgserver

    data_dir = state_dir / "postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="delete" if delete_on_exit else "stop")
    return server.get_uri()
