"""`cloudforge drift`: one Terraform state against the current inventory."""

from __future__ import annotations

import json
import sys

import click

from cloudforge.cli.output import format_table
from cloudforge.settings import load_settings


@click.group()
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
