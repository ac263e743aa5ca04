"""Fixtures: an outbox in a database of its own on the session's embedded PostgreSQL, emptied per test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import psycopg
import pytest

from cloudforge.clock import Clock
from cloudforge.warehouse import connect, create_database, ensure_schema


@pytest.fixture(scope="session")
def alerts_url(warehouse_url: str) -> str:
    url = create_database(warehouse_url, "alerts_delivery")
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
    return url


@pytest.fixture
def conn(alerts_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to an empty outbox."""
    with connect(alerts_url, autocommit=True) as conn:
        conn.execute("TRUNCATE alerts.outbox, alerts.deliveries RESTART IDENTITY")
        yield conn


@pytest.fixture
def now(clock: Clock) -> datetime:
    """The time a test's delivery passes count from, on the session's clock."""
    return clock.now().replace(microsecond=0)
