"""Shared fixtures: a real embedded PostgreSQL and a real moto server, one each per test session; the
session's clock, pinned to one date (``--today``) for every test and every process the tests start.

tests/README.md lists every session fixture (the demo's end-to-end run, the dbt builds) and which one a new
test takes, so the suite starts and builds each thing once."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest

from cloudforge.clock import Clock
from cloudforge.local.postgres import embedded_postgres_url

CLOCK_VARIABLE = "CLOUDFORGE_CLOCK__TODAY"  # the setting clock.today
PREVIOUS_CLOCK = pytest.StashKey[str | None]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
        help="pin the clock (setting clock.today) to this UTC date for the session; default: its first day",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Pin the clock in the environment, so settings loaded by tests, the CLI and the processes they start
    (Dagster steps, the embedded cloud) all read the same date, even across midnight."""
    today = config.getoption("--today") or Clock().today()
    config.stash[PREVIOUS_CLOCK] = os.environ.get(CLOCK_VARIABLE)
    os.environ[CLOCK_VARIABLE] = today.isoformat()


# Fixtures that make whatever takes them end to end: the demo's real `cloudforge run` (minutes on 2 cores).
END_TO_END_FIXTURES = {"demo_run"}
# Every test below it reads a dbt build of the project (a session fixture of a minute or more on 2 cores).
DBT_TESTS = Path(__file__).parent / "dbt"
# The slow tier's limit per test, its session fixture's setup included: a whole `cloudforge run` of the demo took 10
# minutes on 2 busy cores (the ini's 600 s stays every other test's limit against a hang).
SLOW_TIER_TIMEOUT = 1800


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the session's clock (directly or through a fixture, like the demo run) depends on the
    date: it is marked `calendar`, the set `.ci/run` repeats for each date of its CALENDAR_DATES. A test that
    takes the demo's run is marked `e2e`, one of tests/dbt `dbt`: the slow tier `make test-e2e` runs
    (tests/README.md)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "clock" in fixtures:
            item.add_marker(pytest.mark.calendar)
        if fixtures & END_TO_END_FIXTURES:
            item.add_marker(pytest.mark.e2e)
        if DBT_TESTS in item.path.parents:
            item.add_marker(pytest.mark.dbt)
        if item.get_closest_marker("e2e") or item.get_closest_marker("dbt"):
            item.add_marker(pytest.mark.timeout(SLOW_TIER_TIMEOUT))  # after a test's own limit, which comes first


def pytest_unconfigure(config: pytest.Config) -> None:
    previous = config.stash.get(PREVIOUS_CLOCK, None)
    if previous is None:
        os.environ.pop(CLOCK_VARIABLE, None)
    else:
        os.environ[CLOCK_VARIABLE] = previous


@pytest.fixture(scope="session")
def clock() -> Clock:
    """The session's clock: the date of --today (or the session's first day) at the wall clock's time."""
    return Clock(today=date.fromisoformat(os.environ[CLOCK_VARIABLE]))


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
