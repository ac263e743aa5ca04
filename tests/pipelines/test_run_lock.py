"""Runs Dagster launches (the schedule, the UI) hold the warehouse's run lock through their executor."""

from __future__ import annotations

import os
import socket

import dagster as dg
import pytest

from cloudforge.warehouse import connect, create_database, run_lock
from cloudforge.warehouse.locks import run_lock_holder
from pipelines.run_lock import run_locked

URL_VARIABLE = "CLOUDFORGE_TEST_RUN_LOCK_URL"


@dg.op
def who_holds_the_run_lock() -> str:
    """The application_name of the session holding the run lock, seen from the run's only step."""
    with connect(os.environ[URL_VARIABLE]) as conn:
        holder, _ = run_lock_holder(conn)
    return holder


@dg.job(executor_def=run_locked(lambda: os.environ[URL_VARIABLE], dg.in_process_executor))
def locked_job():
    who_holds_the_run_lock()


@pytest.fixture
def url(warehouse_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    url = create_database(warehouse_url, "run_lock")
    monkeypatch.setenv(URL_VARIABLE, url)
    return url


def launch() -> tuple[str, str | None, list[str]]:
    """The job as the run launcher executes it, through its own executor (execute_in_process swaps it):
    the run id, the holder of the run lock its step saw, and why the run failed."""
    with (
        dg.DagsterInstance.ephemeral() as instance,
        dg.execute_job(dg.reconstructable(locked_job), instance=instance, raise_on_error=False) as result,
    ):
        holder = result.output_for_node("who_holds_the_run_lock") if result.success else None
        failures = [e.event_specific_data.error.message for e in result.all_events if e.is_run_failure]
        return result.run_id, holder, failures


def test_a_launched_run_holds_the_run_lock_while_its_steps_run(url: str):
    run_id, holder, failures = launch()
    assert failures == []
    assert holder == f"{run_id[:8]} locked_job pid {os.getpid()} on {socket.gethostname()}"[:63]


def test_a_launched_run_is_refused_while_another_run_holds_the_lock(url: str):
    with run_lock(url, "1a2b3c4d-cli", "refresh_everything"):
        run_id, holder, failures = launch()
    assert holder is None
    [failure] = failures
    assert "another run of the platform is in progress on this warehouse: run 1a2b3c4d refresh_" in failure

