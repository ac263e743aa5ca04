"""Fixtures for the metrics tests: the session's real VictoriaMetrics (from tests/metrics), a database per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from cloudforge.warehouse import connect, create_database, ensure_schema
from tests.metrics.conftest import timeseries  # noqa: F401  (a fixture: pytest finds it by name)


@pytest.fixture
def database(warehouse_url: str) -> Iterator[str]:
    """A migrated database of its own in the session's PostgreSQL, dropped afterwards."""
    name = f"metrics_{uuid.uuid4().hex[:8]}"
    url = create_database(warehouse_url, name)
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
    yield url
    with psycopg.connect(warehouse_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
