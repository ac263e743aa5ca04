"""Materialise every asset once, in process, recording the run in the Dagster instance (for the UI)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import dagster as dg

from cloudforge.settings import Settings
from cloudforge.warehouse import database_url, run_lock

# Step progress and warnings on the console; the full event log stays in the Dagster UI.
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def materialize_everything(settings: Settings, progress: Callable[[str], None] = print) -> bool:
    """Run the refresh job over every asset; report each failed step and why a check that lists its problems
    failed (a refused billing slice names its file and rule); True when the run succeeded.

    Raises ``RunInProgress`` before any work while another run of the platform holds the warehouse's run lock
    (``execute_in_process`` bypasses the job's run-locked executor, so the lock is taken here).
    """
    from pipelines.definitions import REFRESH_JOB_NAME

    run_id = str(uuid.uuid4())
    with run_lock(database_url(settings), run_id, REFRESH_JOB_NAME):
        return _materialize(settings, run_id, progress)


def _materialize(settings: Settings, run_id: str, progress: Callable[[str], None]) -> bool:
    from pipelines.dbt import prepare_dbt_manifest
    from pipelines.definitions import REFRESH_JOB_NAME, build_definitions

    progress("parsing the dbt project")
    prepare_dbt_manifest()  # the manifest must describe the models as they are now, not as last parsed
    definitions = build_definitions(settings)
    job = definitions.resolve_job_def(REFRESH_JOB_NAME)
    progress(f"materialising {len(definitions.resolve_asset_graph().get_all_asset_keys())} assets")
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET_CONSOLE, run_id=run_id
        )
    for event in result.all_events:
        if event.is_step_failure:
            progress(f"step {event.step_key} failed: {event.step_failure_data.error.message.strip()}")
    for check in result.get_asset_check_evaluations():
        if not check.passed and "problems" in check.metadata:
            progress(f"check {check.check_name} failed:\n{check.metadata['problems'].value}")
    progress(f"run {result.run_id[:8]} {'succeeded' if result.success else 'FAILED'}")
    return result.success
