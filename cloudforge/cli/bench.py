"""`cloudforge bench`: each benchmark prints its figures and exits 1 naming the targets it missed."""

from __future__ import annotations

import click

from cloudforge.settings import load_settings


@click.group()
def bench() -> None:
    """Benchmarks: print figures and the ratio to a reference measured in the same run; exit 1 naming each
    target missed."""


def exit_on_missed_targets(targets) -> None:
    """Print how each target fared; a missed one is the command's failure."""
    from benchmarks.common import judge

    missed = judge(targets, click.echo)
    if missed:
        raise click.ClickException(f"missed {len(missed)} target(s): {'; '.join(missed)}")


@bench.command("inventory")
@click.option("--resources", default=20_000, show_default=True, help="Resource documents to load.")
def bench_inventory(resources: int) -> None:
    """Raw load rows/s against a plain COPY of the same documents, and the dbt inventory build time."""
    from benchmarks.inventory import run_inventory_bench

    exit_on_missed_targets(run_inventory_bench(load_settings(), resources, echo=click.echo))


@bench.command("billing")
@click.option("--rows", default=5_000_000, show_default=True, help="FOCUS rows to generate and load.")
@click.option("--rounds", default=2, show_default=True, help="Ingestion and COPY rounds; the best of each counts.")
def bench_billing(rows: int, rounds: int) -> None:
    """FOCUS ingestion rows/s against a plain COPY of the same rows, the dbt cost models' full and incremental
    builds, and the Costs page cold and cached."""
    from benchmarks.billing import run_billing_bench

    exit_on_missed_targets(run_billing_bench(load_settings(), rows, rounds, echo=click.echo))


@bench.command("policies")
@click.option("--resources", default=50_000, show_default=True, help="Resource documents to evaluate.")
def bench_policies(resources: int) -> None:
    """Policy run evaluations/s (Postgres to findings written) against the bare Rego engine, same documents."""
    from benchmarks.policies import run_policies_bench

    exit_on_missed_targets(run_policies_bench(load_settings(), resources, echo=click.echo))


@bench.command("provisioning")
@click.option("--size", default=48, show_default=True, help="Instances (and security groups) of the fleet blueprint.")
def bench_provisioning(size: int) -> None:
    """The fleet blueprint (11 + 2 x size resources) planned, gated, approved and applied through a loopback proxy
    adding 50 ms a call: 8 workers against 1 worker, and the 8-worker run against 30 s."""
    from benchmarks.provisioning import run_provisioning_bench

    exit_on_missed_targets(run_provisioning_bench(load_settings(), size, echo=click.echo))

# provisioning --------------------------------------------------------------------------------------------------


@bench.command("metrics")
@click.option("--points", default=1_000_000, show_default=True, help="Points to write both ways.")
@click.option("--resources", default=5_000, show_default=True, help="Resources whose hourly values are rolled up.")
@click.option("--days", default=14, show_default=True, help="Days of hourly values per resource.")
def bench_metrics(points: int, resources: int, days: int) -> None:
    """Points/s through the metrics asset's write path against one raw line-protocol POST, and the rollup load's
    rows/s against a plain COPY of the same rows."""
    from benchmarks.metrics import run_metrics_bench

    exit_on_missed_targets(run_metrics_bench(load_settings(), points, resources, days, echo=click.echo))
@bench.command("drift")
@click.option("--resources", default=20_000, show_default=True, help="Declared resources, and as many running.")
def bench_drift(resources: int) -> None:
    """State read and load rows/s against a plain COPY; the dbt drift models against one hand-written statement."""
    from benchmarks.drift import run_drift_bench

    exit_on_missed_targets(run_drift_bench(load_settings(), resources, echo=click.echo))
