"""Fixtures of the FOCUS ingestion tests: a warehouse connection with an empty raw_billing schema."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from cloudforge.warehouse import connect, ensure_schema


@pytest.fixture
def billing_db(warehouse_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the session's PostgreSQL, raw_billing created and emptied."""
    with connect(warehouse_url, autocommit=True) as conn:
        ensure_schema(conn)
        conn.execute("TRUNCATE raw_billing.focus_charges, raw_billing.quarantine, raw_billing.load_log")
        yield conn
