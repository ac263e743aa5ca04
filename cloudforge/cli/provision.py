"""`cloudforge provision`: plan, approve, apply, resume, destroy and follow a provisioning request."""

from __future__ import annotations

from pathlib import Path

import click

from cloudforge.settings import load_settings


@click.group()
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
