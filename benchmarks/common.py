"""What the benchmarks share: a timer and the dbt build they time."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from cloudforge.settings import Settings


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@dataclass(frozen=True)
class DbtBuild:
    seconds: float  # wall clock, dbt's start-up and tests included
    models: list[tuple[str, float]]  # (model, seconds), slowest first

    def summary(self) -> str:
        slowest = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.models[:3])
        in_models = sum(seconds for _, seconds in self.models)
        return f"{self.seconds:.1f} s ({len(self.models)} models {in_models:.1f} s, slowest {slowest})"


def dbt_build(settings: Settings, url: str, select: tuple[str, ...] = ()) -> DbtBuild:
    """`dbt build` with the settings' vars, of ``select`` (with the tests whose every parent is selected) or of
    the whole project. dbt's log is shown only when the build fails."""
    from pipelines.dbt import dbt_resource, dbt_vars

    _prepare_dbt_manifest()
    args = ["build", "--vars", json.dumps(dbt_vars(settings))]
    if select:
        args += ["--indirect-selection", "cautious", "--select", " ".join(select)]
    log = io.StringIO()  # dagster-dbt echoes dbt's log on stdout
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(log):
            invocation = dbt_resource(url).cli(args, raise_on_error=True)
            invocation.wait()
    except Exception:
        print(log.getvalue())
        raise
    seconds = time.perf_counter() - start
    results = invocation.get_artifact("run_results.json")["results"]
    models = [(r["unique_id"].rpartition(".")[2], r["execution_time"]) for r in results
              if r["unique_id"].startswith("model.")]  # fmt: skip
    return DbtBuild(seconds, sorted(models, key=lambda model: -model[1]))


@functools.cache
def _prepare_dbt_manifest() -> None:
    """dagster-dbt needs the manifest; parsing it once per process is enough."""
    from pipelines.dbt import prepare_dbt_manifest

    prepare_dbt_manifest()
