"""The `cloudforge` command: run the platform once, serve the demo, report status, query the warehouse.
Its other groups (drift, bench, provision, policy, alerts, db, metrics) live in modules of their own and are
imported only when invoked.

Dagster and the pipelines are imported inside the commands, never at import time.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click

from cloudforge.cli.output import format_table, step
from cloudforge.settings import load_settings
from cloudforge.status import services_file

if TYPE_CHECKING:
    import subprocess

    from cloudforge.local.processes import Server
    from cloudforge.local.stack import LocalStack

REPO_ROOT = Path(__file__).resolve().parents[2]


class LazyGroup(click.Group):
    """A click group whose heavier sub-groups are imported only when they are invoked."""

    lazy_commands: ClassVar[dict[str, str]] = {
        "policy": "cloudforge.cli.policy:policy",
        "alerts": "cloudforge.cli.alerts:alerts",
        "db": "cloudforge.cli.db:db",
        "metrics": "cloudforge.cli.metrics:metrics",
        "drift": "cloudforge.cli.drift:drift",
        "bench": "cloudforge.cli.bench:bench",
        "provision": "cloudforge.cli.provision:provision",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands:
            module, _, attribute = self.lazy_commands[name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """CloudForge: what you run across clouds, what it costs, whether it is compliant."""
    from cloudforge.local.processes import stop_signals

    ctx.with_resource(stop_signals())  # Ctrl-C, SIGTERM and a closing terminal all run the cleanup


@main.command()
def run() -> None:
    """Materialise every asset once, headless; print a summary; exit non-zero on failure, or at once while
    another run of the platform is in progress on the same warehouse."""
    from cloudforge.local.stack import LocalStack
    from cloudforge.warehouse import MigrationError, RunInProgress
    from pipelines.runner import materialize_everything

    settings = load_settings()
    try:
        stack = LocalStack.start(settings, progress=step)
    except (ConnectionError, MigrationError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        try:
            ok = materialize_everything(stack.resolved_settings(), progress=step)
        except RunInProgress as refused:
            raise click.ClickException(str(refused)) from None
        deliver_alerts(stack.warehouse_url, settings)
        print_summary(stack.warehouse_url)
    finally:
        stack.stop()
    if not ok:
        raise click.ClickException("the run failed; see the step errors above (and `cloudforge status`)")


@main.command()
@click.option("--dagster-port", default=3000, show_default=True)
@click.option("--dashboard-port", default=8501, show_default=True)
@click.option("--metrics-port", default=9464, show_default=True, help="Where the exporter serves /metrics.")
@click.option("--skip-run", is_flag=True, help="Serve what the warehouse holds without materialising first.")
def demo(dagster_port: int, dashboard_port: int, metrics_port: int, skip_run: bool) -> None:
    """Start the embedded stack, materialise everything, then serve the Dagster UI, the dashboards and the metrics
    exporter's /metrics."""
    from cloudforge.local.processes import Server, ServerError, Stop, ensure_available
    from cloudforge.local.stack import LocalStack
    from cloudforge.warehouse import MigrationError

    settings = load_settings()
    dagster = Server("Dagster UI", settings.dagster_ui.address, dagster_port, "--dagster-port")
    dashboards = Server("dashboards", settings.dashboards.address, dashboard_port, "--dashboard-port")
    exporter = Server("exporter", settings.exporter.address, metrics_port, "--metrics-port", "/metrics")
    servers = {dagster: dagster_command(dagster), dashboards: dashboards_command(dashboards),
               exporter: exporter_command(exporter)}
    stack = None
    try:
        ensure_available(list(servers))  # before anything starts
        stack = LocalStack.start(settings, progress=step)
        # `cloudforge run` in a process group of its own: a Dagster step does not stop half-way on a signal, a
        # process group can be stopped within seconds.
        if not skip_run and stack.spawn([sys.executable, "-m", "cloudforge.cli", "run"], cwd=REPO_ROOT).wait():
            click.secho("the run failed; serving what the warehouse holds", fg="yellow")
        serve_demo(stack, servers)
    except Stop as stop:
        echo_while_stopping("\nstopping…")
        raise SystemExit(stop.exit_code) from None
    except (ServerError, ConnectionError, MigrationError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        if stack is not None:
            stack.stop()
            services_file(settings.state_dir).unlink(missing_ok=True)


def serve_demo(stack: LocalStack, commands: dict[Server, list[str]]) -> None:
    """Start each server, print the URLs once all of them answer, and serve until a signal stops the command."""
    from cloudforge.local.processes import ensure_available, serve_until_stopped, wait_until_serving

    ensure_available(list(commands))  # again: a run takes minutes, something may have taken a port meanwhile
    servers = {server: stack.spawn(command, cwd=REPO_ROOT) for server, command in commands.items()}
    record_services(stack.settings.state_dir, servers)
    names = [f"the {server.name}" for server in servers]
    step("waiting for " + ", ".join(names[:-1]) + " and " + names[-1])
    wait_until_serving(servers)
    click.echo()
    for server in servers:
        click.secho(f"  {server.name:<11} {server.url}", bold=True)
    click.echo("  Ctrl-C stops everything this command started.\n")
    serve_until_stopped(servers)


def dagster_command(server: Server) -> list[str]:
    return [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", "-h", server.address, "-p", str(server.port)]


def dashboards_command(server: Server) -> list[str]:
    return [
        *(sys.executable, "-m", "streamlit", "run", "dashboards/app.py", "--browser.gatherUsageStats", "false"),
        *("--server.headless", "true", "--server.address", server.address, "--server.port", str(server.port)),
    ]


def exporter_command(server: Server) -> list[str]:
    """`cloudforge metrics serve`, in a process of its own like the other servers: it stops with their group."""
    return [sys.executable, "-m", "cloudforge.cli", "metrics", "serve", "--address", server.address,
            "--port", str(server.port)]


def record_services(state_dir: Path, servers: dict[Server, subprocess.Popen]) -> None:
    """Note the servers in the state directory, for `cloudforge status`."""
    services = {server.name: {"pid": process.pid, "url": server.url} for server, process in servers.items()}
    services_file(state_dir).write_text(json.dumps(services))


def echo_while_stopping(message: str) -> None:
    """Say so if the terminal is still there: after it closed, writing fails, and the cleanup must go on."""
    with contextlib.suppress(OSError):
        click.echo(message)


def deliver_alerts(url: str, settings) -> None:
    """Flush the alerts outbox once (short Retry-After waits included); the sensor retries what is left."""
    from cloudforge.cli.alerts import alert_log_on_stderr, deliver_outbox

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
    from demo.cloud import find_embedded_cloud

    settings = load_settings()
    cloud = find_embedded_cloud(settings.state_dir)
    for line in status_lines(settings, cloud.endpoint_url if cloud else None):
        click.echo(line)


@main.command()
@click.argument("query", required=False)
@click.option("--url", "show_url", is_flag=True, help="Print the read-only URL for psql or a BI tool; exit.")
@click.option("--reader-setup", is_flag=True, help="Print the SQL that creates the read-only role; exit.")
def sql(query: str | None, show_url: bool, reader_setup: bool) -> None:
    """Run one SQL QUERY on the warehouse (for example on marts.resources) as the read-only role
    cloudforge_reader, and print the rows."""
    import psycopg

    from cloudforge.warehouse import connect, database_url
    from cloudforge.warehouse.reader import (
        ReaderNotConfigured,
        reader_database_url,
        reader_setup_script,
        refuse_server_access,
    )

    settings = load_settings()
    try:
        if reader_setup:
            click.echo(reader_setup_script(database_url(settings)))
            return
        if show_url:
            if settings.reader_database_url is not None:
                raise click.ClickException("it is your CLOUDFORGE_READER_DATABASE_URL; it is not echoed here")
            click.echo(reader_database_url(settings))
            return
        if not query:
            raise click.UsageError("give a QUERY, or --url")
        with connect(reader_database_url(settings), autocommit=True) as conn:
            refuse_server_access(conn)
            with conn.transaction():
                conn.execute("SET TRANSACTION READ ONLY")
                # Prepared, so sent with the extended protocol: the server refuses several statements in one.
                cursor = conn.execute(query, prepare=True)
                columns = [column.name for column in cursor.description or []]
                rows = cursor.fetchall() if cursor.description else []
    except (ReaderNotConfigured, ConnectionError, PermissionError) as exc:
        raise click.ClickException(str(exc)) from None
    except psycopg.Error as exc:
        reason = exc.diag.message_primary or str(exc)
        if isinstance(exc, psycopg.errors.SyntaxError) and "multiple commands" in reason:
            raise click.ClickException("one statement at a time: the query holds several") from None
        raise click.ClickException(f"the query failed: {reason}") from None
    click.echo(format_table(columns, rows))
