"""The refresh job holds the warehouse's run lock for the whole run, wherever Dagster launches it.

A run the daemon launches (the schedule, the UI's Materialize) is orchestrated by its executor in one run
worker process, from the first step to the last: wrapping the executor holds the lock exactly that long, dbt
steps included. ``execute_in_process`` (``cloudforge run``) replaces the executor, so the runner takes the
same lock itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import dagster as dg

from cloudforge.warehouse import run_lock

if TYPE_CHECKING:
    from dagster._core.execution.context.system import PlanOrchestrationContext
    from dagster._core.execution.plan.plan import ExecutionPlan
    from dagster._core.execution.retries import RetryMode


class RunLockedExecutor(dg.Executor):
    """Runs the plan with ``inner`` while holding the run lock; a run that cannot take it fails at once."""

    def __init__(self, inner: dg.Executor, warehouse_url: Callable[[], str]):
        self.inner = inner
        self.warehouse_url = warehouse_url

    def execute(
        self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan
    ) -> Iterator[dg.DagsterEvent]:
        with run_lock(self.warehouse_url(), plan_context.run_id, plan_context.job_name):
            yield from self.inner.execute(plan_context, execution_plan)

    @property
    def retries(self) -> RetryMode:
        return self.inner.retries

    @property
    def step_dependency_config(self):
        return self.inner.step_dependency_config


def run_locked(
    warehouse_url: Callable[[], str], inner: dg.ExecutorDefinition = dg.multi_or_in_process_executor
) -> dg.ExecutorDefinition:
    """``inner`` (by default Dagster's default executor, with its config) holding the run lock of the
    warehouse at ``warehouse_url()``, looked up when a run starts, never at load time."""

    def create(init_context: dg.InitExecutorContext) -> dg.Executor:
        return RunLockedExecutor(inner.executor_creation_fn(init_context), warehouse_url)

    return dg.ExecutorDefinition(
        name=f"run_locked_{inner.name}",
        config_schema=inner.config_schema,
        requirements=inner.get_requirements,
        executor_creation_fn=create,
        description="Holds the warehouse's run lock while the run executes, refused while another holds it.",
    )
