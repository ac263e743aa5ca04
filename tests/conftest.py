"""Shared fixtures: a real embedded PostgreSQL and a real moto server, one each per test session."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from cloudforge.local.postgres import embedded_postgres_url


@pytest.fixture(scope="session")
def warehouse_url() -> str:
    """A fresh embedded PostgreSQL 16 for this session (pgserver), stopped and deleted when the session ends.

    Its directory is outside pytest's numbered temp folders, which a concurrent pytest run may prune.
    """
    return embedded_postgres_url(Path(tempfile.mkdtemp(prefix="cloudforge-tests-")), delete_on_exit=True)


@pytest.fixture(scope="session")
def moto_endpoint() -> str:
    """A moto server on a free loopback port, in this process, empty until a test seeds it."""
    from demo.seeding import start_moto_server

    server, endpoint = start_moto_server()
    yield endpoint
    server.stop()
