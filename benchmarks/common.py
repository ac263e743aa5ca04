"""What the benchmarks share: a timer, the dbt build they time, and the targets that judge their figures."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cloudforge.settings import Settings


@dataclass(frozen=True)
class Target:
    """A figure judged by its ratio to a reference: the reference is measured in the same run (a plain COPY, the
    bare engine, the full build) or is a fixed limit (a page's time). Met when the ratio is within ``bound``."""

    name: str
    figure: float
    reference: float
    reference_name: str  # what the reference is: "plain COPY", "limit"
    unit: str  # of figure and reference: "rows/s", "s", "ms"
    bound: float  # the ratio figure / reference must be at least this (higher_is_better) or at most
    higher_is_better: bool

    @property
    def ratio(self) -> float:
        return self.figure / self.reference if self.reference else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio >= self.bound if self.higher_is_better else self.ratio <= self.bound

    def line(self) -> str:
        comparison = ">=" if self.higher_is_better else "<="
        return (
            f"{'met   ' if self.met else 'MISSED'} {self.name}: {self.figure:,.2f} {self.unit} against "
            f"{self.reference_name} {self.reference:,.2f} {self.unit}: {self.ratio:.2f}x "
            f"(target {comparison} {self.bound:g}x)"
        )


def judge(targets: list[Target], echo: Callable[[str], None]) -> list[str]:
    """Print every target's figure, reference and ratio; return the names of those missed."""
    echo("targets:")
    for target in targets:
        echo(f"  {target.line()}")
    return [target.name for target in targets if not target.met]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best_of_turns(rounds: int, *actions: Callable[[], object]) -> list[float]:
    """Each action's best time of ``rounds``, the actions taking turns: a figure and its reference then meet the
    same machine load (on a shared machine it changes within a minute)."""
    times = [[timed(action) for action in actions] for _ in range(rounds)]
    return [min(column) for column in zip(*times)]


@dataclass(frozen=True)
class DbtBuild:
    seconds: float  # wall clock, dbt's start-up and tests included
    startup_seconds: float  # of which dbt's start-up: its process, the (partial) parse, the run's set-up
    models: list[tuple[str, float]]  # (model, seconds), slowest first
    relations: dict[str, str]  # model -> its relation, quoted as in SQL
    compiled_code: dict[str, str]  # model -> its SQL as dbt compiled it for this build
    sql_seconds: dict[str, float]  # model -> the time of the SQL dbt ran for it, as its log has it

    def summary(self) -> str:
        slowest = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.models[:3])
        in_models = sum(seconds for _, seconds in self.models)
        return f"{self.seconds:.1f} s ({len(self.models)} models {in_models:.1f} s, slowest {slowest})"

    def model_seconds(self, model: str) -> float:
        return dict(self.models)[model]

    def model_sql_seconds(self, model: str) -> float:
        return self.sql_seconds[model]


def dbt_build(settings: Settings, url: str, select: tuple[str, ...] = ()) -> DbtBuild:
    """`dbt build` with the settings' vars as the platform's steps run it (unit tests left out), of ``select``
    (with the tests whose every parent is selected) or of the whole project. dbt's log is shown only when the
    build fails."""
    from pipelines.dbt import build_command, dbt_resource

    _prepare_dbt_manifest()
    args = build_command(settings)
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
    run_results = invocation.get_artifact("run_results.json")
    results = {r["unique_id"].rpartition(".")[2]: r for r in run_results["results"]
               if r["unique_id"].startswith("model.")}  # fmt: skip
    return DbtBuild(
        seconds,
        seconds - run_results["elapsed_time"],
        sorted(((name, r["execution_time"]) for name, r in results.items()), key=lambda model: -model[1]),
        {name: r["relation_name"] for name, r in results.items()},
        {name: r["compiled_code"] for name, r in results.items()},
        _sql_seconds(invocation.target_path / "dbt.log"),
    )


def _sql_seconds(log: Path) -> dict[str, float]:
    """Per model, the sum of the elapsed times dbt logged for the statements it ran for it (dagster-dbt writes dbt's
    log as JSON lines in the build's target directory)."""
    seconds: dict[str, float] = {}
    with log.open() as lines:
        for line in lines:
            if '"SQLQueryStatus"' not in line:
                continue
            data = json.loads(line)["data"]
            node = data.get("node_info") or {}
            if node.get("resource_type") == "model":
                seconds[node["node_name"]] = seconds.get(node["node_name"], 0.0) + data["elapsed"]
    return seconds


@functools.cache
def _prepare_dbt_manifest() -> None:
    """dagster-dbt needs the manifest; parsing it once per process is enough."""
    from pipelines.dbt import prepare_dbt_manifest

    prepare_dbt_manifest()
