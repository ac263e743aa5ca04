"""Fixtures for the declared-state tests: the hand-written v4 state files and a database per test."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from support.terraform_state import STATES

from cloudforge.warehouse import create_database


@pytest.fixture
def states(tmp_path: Path) -> Path:
    """A copy of the fixture states (network, shared, empty, legacy), free to change."""
    return Path(shutil.copytree(STATES, tmp_path / "states"))


@pytest.fixture
def terraform_db(warehouse_url: str) -> Iterator[str]:
    """A database of its own in the session's PostgreSQL, so other tests' rows never mix in."""
    name = f"terraform_{uuid.uuid4().hex[:8]}"
    yield create_database(warehouse_url, name)
    with psycopg.connect(warehouse_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
