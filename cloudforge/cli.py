"""The `cloudforge` command: run the platform once, serve the demo, report status, benchmark.

Dagster and the pipelines are imported inside the commands, never at import time.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cloudforge.settings import load_settings
from cloudforge.status import services_file

if TYPE_CHECKING:
    import subprocess

    from cloudforge.local.processes import Server
    from cloudforge.local.stack import LocalStack

REPO_ROOT = Path(__file__).resolve().parent.parent


def step(message: str) -> None:
    click.echo(click.style("▸ ", fg="cyan") + message)


class LazyGroup(click.Group):
    """A click group whose heavier sub-groups are imported only when they are invoked."""

    lazy_commands = {
        "policy": "policies.cli:policy",
        "alerts": "cloudforge.alerts.cli:alerts",
        "db": "cloudforge.warehouse.cli:db",
        "metrics": "cloudforge.exporter.cli:metrics",
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


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """Rows as an aligned plain-text table with a header and a row count."""
    cells = [columns, *([("" if value is None else str(value)) for value in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, f"({len(rows)} rows)"])


@main.group()
def drift() -> None:
    """Drift between Terraform states and the inventory."""


@drift.command("check")
@click.option("--state", "state_uri", required=True, help="A state file, a directory of them, or an s3:// prefix.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
def drift_check(state_uri: str, output: str) -> None:
    """Compare one state with the current inventory (as of the last run): exit 0 in sync, 1 on drift, 2 on bad
    input. The categories and ignore rules are those of the drift marts."""
    from assets.terraform.assets import _s3_opener
    from assets.terraform.check import BadInput, check_declared, in_sync, read_declared, report
    from cloudforge.settings import TerraformStateSource
    from cloudforge.warehouse import connect, database_url
    from demo.terraform_states import with_demo_states
    from pipelines.definitions import with_demo_cloud

    settings = with_demo_states(with_demo_cloud(load_settings()))
    configured = next((s for s in settings.terraform.state_sources if state_uri.startswith(s.uri)), None)
    source = TerraformStateSource(uri=state_uri, account_id=configured.account_id if configured else None)
    try:
        declared = read_declared(state_uri, _s3_opener(source, settings.terraform, settings.aws))
        with connect(database_url(settings), autocommit=True) as conn:
            items = check_declared(declared, conn, settings.drift.ignore)
    except (BadInput, ConnectionError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    result = report(items)
    if output == "json":
        click.echo(json.dumps(result, indent=2, default=str))
    else:
        click.echo("  ".join(f"{category}: {n}" for category, n in result["counts"].items()))
        drifted = [i for i in items if i.category != "managed" or i.ignored_reason]
        rows = [(i.category, "ignored" if i.ignored_reason else "", i.account_id or "", i.resource_type,
                 i.resource_id, ", ".join(d["path"] for d in i.differences if not d["ignored_reason"]))
                for i in drifted]
        click.echo(format_table(["category", "ignored", "account", "type", "id", "differs in"], rows))
    sys.exit(0 if in_sync(items) else 1)


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


@bench.command("provisioning")
@click.option("--size", default=48, show_default=True, help="Instances (and security groups) of the fleet blueprint.")
def bench_provisioning(size: int) -> None:
    """The fleet blueprint (11 + 2 x size resources) planned, gated, approved and applied through a loopback proxy
    adding 50 ms a call: 8 workers against 1 worker, and the 8-worker run against 30 s."""
    from benchmarks.provisioning import run_provisioning_bench

    exit_on_missed_targets(run_provisioning_bench(load_settings(), size, echo=click.echo))

# provisioning --------------------------------------------------------------------------------------------------
@main.group()
def provision() -> None:
    """Plan, approve, apply, resume, destroy a provisioning REQUEST.yaml (see README, Provisioning)."""


_request_file = click.argument("request_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
_workers = click.option("--workers", default=8, show_default=True, help="Resources created at once.")


def _provisioning(request_file: Path):
    """(settings, request, warehouse URL, ledger context) for a request file; ClickException on bad input."""
    from cloudforge.warehouse import MigrationError, connect, database_url, ensure_schema
    from provisioners.blueprints.request import load_request
    from provisioners.blueprints.yaml_lines import SourceError
    from provisioners.ledger import Ledger

    settings = load_settings()
    try:
        request = load_request(request_file, settings.tags.required)
        url = database_url(settings)
        with connect(url, autocommit=True) as conn:
            ensure_schema(conn)
    except (SourceError, ConnectionError, MigrationError) as error:
        raise click.ClickException(str(error)) from None
    return settings, request, url, Ledger.open(url)


def _graph(request):
    from provisioners.blueprints.yaml_lines import SourceError
    from provisioners.service import graph_of

    try:
        return graph_of(request)
    except SourceError as error:
        raise click.ClickException(str(error)) from None


def _engine(settings, request, workers: int):
    """The AWS engine for the request's account; in demo mode at the running demo cloud."""
    from provisioners.engines.aws import engine_for

    aws = settings.aws
    if aws.mode == "demo" and aws.endpoint_url is None:
        from demo.cloud import find_embedded_cloud

        cloud = find_embedded_cloud(settings.state_dir)
        if cloud is None:
            raise click.ClickException("the demo cloud is not running: start it with `cloudforge demo`")
        aws = aws.model_copy(update={"endpoint_url": cloud.endpoint_url})
    return engine_for(aws, request.account, request.region, workers)


@provision.command("plan")
@_request_file
def provision_plan(request_file: Path) -> None:
    """Render the request's graph, run the policy library on it, estimate its cost against the team's budget,
    and record the plan; exit 1 when the gate denies it."""
    from cloudforge.warehouse import connect
    from policies.config import policy_config
    from provisioners.blueprints.yaml_lines import SourceError
    from provisioners.service import plan_request, team_budget

    settings, request, url, ledger_context = _provisioning(request_file)
    with connect(url, autocommit=True) as conn:
        budget = team_budget(conn, request.tags.get("team", ""))
    with ledger_context as ledger:
        try:
            plan = plan_request(ledger, request, policy_config(settings), settings.clock.now(), budget,
                                request.requested_by)
        except SourceError as error:
            raise click.ClickException(str(error)) from None
        row = ledger.request(request.id)
    click.echo(f"request {request.id} ({request.name}, blueprint {request.blueprint}): {row.status}")
    click.echo(f"plan {plan.hash}")
    click.echo(f"{len(plan.graph.nodes)} resources, in order:")
    prices = {e.node_id: e for e in plan.estimates}
    for node_id in plan.graph.order():
        node, price = plan.graph.nodes[node_id], prices[node_id]
        cost = "unpriced" if price.monthly is None else f"${price.monthly}/month"
        click.echo(f"  {node.address:<60} {cost:>16}  {price.basis}")
    click.echo(f"estimate: ${plan.monthly}/month")
    if plan.budget:
        b = plan.budget
        verdict = "OVER budget: needs a second approver" if b.over_with(plan.monthly) else "within budget"
        click.echo(f"budget {b.budget_id}: forecast ${b.forecast} + ${plan.monthly} of ${b.monthly_amount}: {verdict}")
    for finding in plan.check.findings:
        click.echo(f"DENIED {finding.policy_id} [{finding.severity}] {finding.resource_key}: {finding.message}")
    if plan.blocked:
        raise click.ClickException("the policy gate refused this request; change it and plan again")
    click.echo(f"approve with: cloudforge provision approve {request_file} --by NAME")


@provision.command("approve")
@_request_file
@click.option("--by", "approver", required=True, help="Who approves (recorded with the time and plan hash).")
def provision_approve(request_file: Path, approver: str) -> None:
    """Approve the request's current plan (refused when the file no longer matches the plan)."""
    from provisioners.blueprints.yaml_lines import SourceError
    from provisioners.ledger import NotApproved
    from provisioners.service import approve_request

    _, request, _, ledger_context = _provisioning(request_file)
    with ledger_context as ledger:
        try:
            row = approve_request(ledger, request, approver)
        except (NotApproved, SourceError) as refused:
            raise click.ClickException(str(refused)) from None
    click.echo(f"request {request.id}: {row.status} ({len(row.approvers)} of {row.approvals_needed} approvals)")


def _walk(request_file: Path, workers: int, action: str) -> None:
    from provisioners.ledger import ApplyInProgress, NotApproved
    from provisioners.service import apply_request, destroy_request

    settings, request, url, ledger_context = _provisioning(request_file)
    graph = _graph(request)
    run = apply_request if action == "apply" else destroy_request
    with ledger_context as ledger:
        try:
            outcome = run(url, ledger, graph, _engine(settings, request, workers), workers)
        except (ApplyInProgress, NotApproved) as refused:
            raise click.ClickException(str(refused)) from None
    click.echo(f"request {request.id}: {action} {len(outcome.done)} done, {len(outcome.found)} already done")
    for node, why in outcome.failed.items():
        click.echo(f"FAILED {node}: {why}")
    if not outcome.ok:
        raise click.ClickException(f"the {action} stopped; fix the cause and run `cloudforge provision resume`")


@provision.command("apply")
@_request_file
@_workers
def provision_apply(request_file: Path, workers: int) -> None:
    """Create the approved request's resources, each after those it refers to."""
    _walk(request_file, workers, "apply")


@provision.command("resume")
@_request_file
@_workers
def provision_resume(request_file: Path, workers: int) -> None:
    """Continue a failed or interrupted apply: what the ledger or the cloud has is not created again."""
    _walk(request_file, workers, "apply")


@provision.command("destroy")
@_request_file
@_workers
def provision_destroy(request_file: Path, workers: int) -> None:
    """Delete what the request created, in reverse dependency order."""
    _walk(request_file, workers, "destroy")


@provision.command("status")
@_request_file
def provision_status(request_file: Path) -> None:
    """The request's status, approvals, each node's physical id and how it stands in the inventory as of the
    latest `cloudforge run` (marts.provisioned_resources)."""
    from cloudforge.warehouse import connect
    from provisioners.reconcile import inventory_status

    _, request, url, ledger_context = _provisioning(request_file)
    with ledger_context as ledger:
        row, nodes = ledger.request(request.id), ledger.nodes(request.id)
    if row is None:
        raise click.ClickException(f"request {request.id} was never planned")
    with connect(url, autocommit=True) as conn:
        inventory = inventory_status(conn, request.id)
    approvers = ", ".join(row.approvers) or "none"
    click.echo(f"request {row.request_id} ({row.name}): {row.status}; approvals {approvers} of {row.approvals_needed}")
    if row.message:
        click.echo(f"  {row.message}")
    for node_id, node in sorted(nodes.items()):
        seen = inventory.get(node_id, "not synced" if node.status == "created" else "")
        click.echo(f"  {node_id:<30} {node.status:<9} {seen:<16} {node.physical_id or ''}  {node.message or ''}".rstrip())
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


if __name__ == "__main__":
    main()
