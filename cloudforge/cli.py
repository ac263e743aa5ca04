"""The `cloudforge` command: run the platform once, serve the demo, report status, benchmark.

Dagster and the pipelines are imported inside the commands, never at import time.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from cloudforge.settings import load_settings
from cloudforge.status import services_file

REPO_ROOT = Path(__file__).resolve().parent.parent


def step(message: str) -> None:
    click.echo(click.style("▸ ", fg="cyan") + message)


class LazyGroup(click.Group):
    """A click group whose heavier sub-groups are imported only when they are invoked."""

    lazy_commands = {"policy": "policies.cli:policy", "alerts": "cloudforge.alerts.cli:alerts"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            module, _, attribute = self.lazy_commands[name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup)
def main() -> None:
    """CloudForge: what you run across clouds, what it costs, whether it is compliant."""


@main.command()
def run() -> None:
    """Materialise every asset once, headless; print a summary; exit non-zero on failure."""
    from cloudforge.local.stack import LocalStack
    from pipelines.runner import materialize_everything

    settings = load_settings()
    stack = LocalStack.start(settings, progress=step)
    try:
        ok = materialize_everything(settings, progress=step)
        deliver_alerts(stack.warehouse_url, settings)
        print_summary(stack.warehouse_url)
    finally:
        stack.stop()
    if not ok:
        raise click.ClickException("the run failed; see the step errors above (and `cloudforge status`)")


@main.command()
@click.option("--dagster-port", default=3000, show_default=True)
@click.option("--dashboard-port", default=8501, show_default=True)
@click.option("--skip-run", is_flag=True, help="Serve what the warehouse holds without materialising first.")
def demo(dagster_port: int, dashboard_port: int, skip_run: bool) -> None:
    """Start the embedded stack, materialise everything, then serve the Dagster UI and the dashboards."""
    from cloudforge.local.stack import LocalStack
    from pipelines.runner import materialize_everything

    settings = load_settings()
    stack = LocalStack.start(settings, progress=step)
    children: list[subprocess.Popen] = []
    try:
        if not skip_run:
            if not materialize_everything(settings, progress=step):
                click.secho("the run failed; serving what the warehouse holds", fg="yellow")
            print_summary(stack.warehouse_url)
        env = {**stack.environment(), "PYTHONUNBUFFERED": "1"}
        children.append(
            spawn(
                [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", "-p", str(dagster_port)], env
            )
        )
        children.append(
            spawn(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "dashboards/app.py",
                    "--server.headless",
                    "true",
                    "--server.port",
                    str(dashboard_port),
                    "--browser.gatherUsageStats",
                    "false",
                ],
                env,
            )
        )
        record_services(settings.state_dir, children, dagster_port, dashboard_port)
        click.echo()
        click.secho(f"  Dashboards  http://localhost:{dashboard_port}", bold=True)
        click.secho(f"  Dagster UI  http://localhost:{dagster_port}", bold=True)
        click.echo("  Ctrl-C stops everything this command started.\n")
        wait_for_interrupt(children)
    finally:
        for child in children:
            stop_process(child)
        services_file(settings.state_dir).unlink(missing_ok=True)
        stack.stop()


def record_services(
    state_dir: Path, children: list[subprocess.Popen], dagster_port: int, dashboard_port: int
) -> None:
    dagster, dashboards = children
    services_file(state_dir).write_text(
        json.dumps(
            {
                "dagster": {"pid": dagster.pid, "url": f"http://localhost:{dagster_port}"},
                "dashboards": {"pid": dashboards.pid, "url": f"http://localhost:{dashboard_port}"},
            }
        )
    )


def spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, **env}, start_new_session=True)


def wait_for_interrupt(children: list[subprocess.Popen]) -> None:
    """Block until Ctrl-C/SIGTERM or until a child dies (then say which)."""
    for signum in (
        signal.SIGINT,
        signal.SIGTERM,
    ):  # SIGINT too: a background shell job starts with it ignored
        signal.signal(signum, _interrupt)
    try:
        while True:
            for child in children:
                if child.poll() is not None:
                    raise click.ClickException(
                        f"{' '.join(child.args[2:4])} exited with code {child.returncode}"
                    )
            time.sleep(1)
    except KeyboardInterrupt:
        click.echo("\nstopping…")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def stop_process(child: subprocess.Popen, grace: float = 10.0) -> None:
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def deliver_alerts(url: str, settings) -> None:
    """Flush the alerts outbox once (short Retry-After waits included); the sensor retries what is left."""
    from cloudforge.alerts.cli import alert_log_on_stderr, deliver_outbox

    try:
        with alert_log_on_stderr():
            report = deliver_outbox(url, settings, wait_seconds=30)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    step(f"alerts: {report.summary()}")


def print_summary(url: str) -> None:
    from cloudforge.status import warehouse_summary

    click.echo()
    for line in warehouse_summary(url):
        click.echo("  " + line)


@main.command()
def status() -> None:
    """What is running, and how fresh each source is."""
    from cloudforge.status import status_lines

    for line in status_lines(load_settings()):
        click.echo(line)


@main.command()
@click.argument("query", required=False)
@click.option(
    "--url", "show_url", is_flag=True, help="Print the warehouse URL for psql or a BI tool, and exit."
)
def sql(query: str | None, show_url: bool) -> None:
    """Run a read-only SQL QUERY on the warehouse (for example on marts.resources) and print the rows."""
    from cloudforge.warehouse import connect, database_url

    settings = load_settings()
    if show_url:
        if settings.database_url is not None:
            raise click.ClickException("the warehouse is your CLOUDFORGE_DATABASE_URL; it is not echoed here")
        click.echo(database_url(settings))
        return
    if not query:
        raise click.UsageError("give a QUERY, or --url")
    import psycopg

    try:
        with connect(database_url(settings)) as conn, conn.transaction():
            conn.execute("SET TRANSACTION READ ONLY")
            cursor = conn.execute(query)
            columns = [column.name for column in cursor.description or []]
            rows = cursor.fetchall()
    except psycopg.Error as exc:
        raise click.ClickException(f"the query failed: {exc.diag.message_primary or exc}") from None
    click.echo(format_table(columns, rows))


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """Rows as an aligned plain-text table with a header and a row count."""
    cells = [columns, *([("" if value is None else str(value)) for value in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, f"({len(rows)} rows)"])


@main.group()
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


if __name__ == "__main__":
    main()
