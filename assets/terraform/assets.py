"""Dagster wrapper for declared state: the ``raw_terraform/declared_resources`` asset and its checks.

The work is ``load_sources``; this module opens each source's S3 client (through the inventory's assume-role
session when the source names an account) and turns the report into metadata. Built only when
``terraform.state_sources`` is configured.
"""

from collections.abc import Callable

from dagster import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)

from assets.resources import WarehouseResource
from assets.terraform.loader import LoadReport, conflicts, load_sources
from cloudforge.settings import AwsSettings, TerraformSettings, TerraformStateSource

DECLARED_KEY = AssetKey(["raw_terraform", "declared_resources"])
SAMPLE = 20
FAILED_STATES = "SELECT source_uri, message FROM raw_terraform.states WHERE status = 'failed' ORDER BY 1"


def build_terraform_assets(
    terraform: TerraformSettings, aws: AwsSettings
) -> "tuple[list[AssetsDefinition], list[AssetChecksDefinition]]":
    """The declared-state asset and its checks; none when no state source is configured."""
    if not terraform.state_sources:
        return [], []

    @asset(
        key=DECLARED_KEY,
        group_name="terraform",
        kinds={"terraform", "postgres"},
        description="Resources the Terraform states declare (secrets redacted), replaced per state file.",
    )
    def terraform_declared_resources(context: AssetExecutionContext, warehouse: WarehouseResource):
        sources = [(source.uri, _s3_opener(source, terraform, aws)) for source in terraform.state_sources]
        with warehouse.connect() as conn:
            report = load_sources(conn, sources, log=context.log)
            found = conflicts(conn)
        metadata = report_metadata(report, found)
        if report.failed and not (report.loaded or report.unchanged):
            raise Failure(f"no Terraform state could be loaded ({len(report.failed)} failed)", metadata=metadata)
        return MaterializeResult(metadata=metadata)

    @asset_check(asset=DECLARED_KEY, description="No resource is declared by two state files.")
    def terraform_single_declaration(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as conn:
            found = conflicts(conn)
        return AssetCheckResult(passed=not found, metadata=_sample(found, ("inventory_type", "resource_id", "in")))

    @asset_check(asset=DECLARED_KEY, description="Every state file loaded in its latest attempt.")
    def terraform_states_ok(warehouse: WarehouseResource) -> AssetCheckResult:
        # A failed state still serves its previous rows, so this warns rather than blocks.
        with warehouse.connect() as conn:
            failed = conn.execute(FAILED_STATES).fetchall()
        return AssetCheckResult(passed=not failed, severity=AssetCheckSeverity.WARN,
                                metadata=_sample(failed, ("source_uri", "message")))

    return [terraform_declared_resources], [terraform_single_declaration, terraform_states_ok]


def report_metadata(report: LoadReport, found: list[tuple]) -> dict[str, MetadataValue]:
    return {
        "states_loaded": MetadataValue.int(len(report.loaded)),
        "states_unchanged": MetadataValue.int(len(report.unchanged)),
        "states_failed": MetadataValue.int(len(report.failed)),
        "states_removed": MetadataValue.int(len(report.removed)),
        "rows": MetadataValue.int(report.rows),
        "failures": MetadataValue.json(report.failed),
        "conflicts": MetadataValue.int(len(found)),
    }


def _sample(rows: list[tuple], columns: tuple[str, ...]) -> dict:
    sample = [dict(zip(columns, row, strict=True)) for row in rows[:SAMPLE]]
    return {"count": len(rows), "sample": MetadataValue.json(sample)}


def _s3_opener(source: TerraformStateSource, terraform: TerraformSettings, aws: AwsSettings) -> Callable[[], object]:
    """Opens the source's S3 client when it is loaded, so a refused role fails that source only."""

    def open_s3():
        if not source.uri.startswith("s3://"):
            return None
        if source.account_id is None:
            import boto3
            from botocore.config import Config

            path_style = Config(s3={"addressing_style": "path"}) if terraform.s3_endpoint_url else None
            return boto3.client("s3", endpoint_url=terraform.s3_endpoint_url, config=path_style)
        from assets.aws.clients import open_account

        account = next(a for a in aws.accounts if a.id == source.account_id)
        return open_account(aws, account).client("s3", aws.regions[0])

    return open_s3
