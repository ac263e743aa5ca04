"""Fixtures for the AWS inventory tests: the seeded estate, dummy credentials, a database per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql
from support.aws_estate import Estate, credentials, inventory_settings, seed_estate

from assets.aws.inventory import SyncReport, sync_inventory
from cloudforge.clock import Clock
from cloudforge.warehouse import create_database


@pytest.fixture(scope="session")
def aws_estate(moto_endpoint: str) -> Estate:
    # moto_endpoint runs without moto's public AMI catalogue, whose ~1,300 snapshots every account would own.
    with pytest.MonkeyPatch.context() as env:
        credentials(env)
        return seed_estate(moto_endpoint)


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    credentials(monkeypatch)


@contextmanager
def fresh_database(warehouse_url: str) -> Iterator[str]:
    """A database of its own in the session's PostgreSQL, so other tests' raw_aws rows never mix in."""
    name = f"aws_inventory_{uuid.uuid4().hex[:8]}"
    yield create_database(warehouse_url, name)
    with psycopg.connect(warehouse_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def inventory_db(warehouse_url: str) -> Iterator[str]:
    with fresh_database(warehouse_url) as url:
        yield url


@pytest.fixture(scope="module")
def synced(aws_estate: Estate, warehouse_url: str, clock: Clock) -> Iterator[tuple[str, SyncReport, list]]:
    """One sync of the estate into a fresh database, for tests that only read: (url, report, progress)."""
    progress = []
    with fresh_database(warehouse_url) as url, pytest.MonkeyPatch.context() as env:
        credentials(env)
        settings = inventory_settings(aws_estate.endpoint)
        report = sync_inventory(
            settings, url, clock=clock, progress=lambda result, done, total: progress.append((done, total))
        )
        yield url, report, progress
