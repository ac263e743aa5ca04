"""Dagster wrapper for the AWS inventory: the ``raw_aws/resources`` asset and the checks on what it loads.

The work is ``sync_inventory``; this module only turns its report into metadata, and fails the
materialization when no slice at all could be loaded (partial failures are metadata and sync_errors rows).
"""

from dataclasses import asdict

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
)

from assets.aws.inventory import SliceResult, SyncReport, sync_inventory
from assets.aws.resource import AwsInventoryResource
from assets.resources import WarehouseResource

RESOURCES_KEY = AssetKey(["raw_aws", "resources"])
SAMPLE = 20  # offending rows shown in a check's metadata

FAILED_SLICES = """
    SELECT account_id, region, resource_type, e.error_code, e.message
    FROM raw_aws.sync_slices s
    LEFT JOIN raw_aws.sync_errors e USING (sync_id, account_id, region, resource_type)
    WHERE s.status = 'failed'
    ORDER BY 1, 2, 3
"""
MALFORMED_DOCUMENTS = """
    SELECT account_id, region, resource_type, resource_id
    FROM raw_aws.resources r
    WHERE r.resource_id = ''
       OR jsonb_typeof(r.document -> 'Tags') IS DISTINCT FROM 'array'
       OR jsonb_path_exists(
           r.document, '$.Tags[*] ? (!(@.Key.type() == "string" && @.Value.type() == "string"))'
       )
    ORDER BY 1, 2, 3, 4
"""
DUPLICATE_ARNS = """
    SELECT arn, count(*) AS copies, array_agg(slice ORDER BY slice) AS slices
    FROM (
        SELECT arn, concat_ws('/', account_id, region, resource_type) AS slice
        FROM raw_aws.resources
        WHERE arn IS NOT NULL
    ) AS loaded
    GROUP BY arn
    HAVING count(*) > 1
    ORDER BY arn
"""


@asset(
    key=RESOURCES_KEY,
    group_name="aws_inventory",
    kinds={"aws", "postgres"},
    description="Every inventoried AWS resource as its API document, replaced per (account, region, type).",
)
def aws_resources(
    context: AssetExecutionContext, aws_inventory: AwsInventoryResource, warehouse: WarehouseResource
) -> MaterializeResult:
    def log_progress(result: SliceResult, done: int, total: int) -> None:
        context.log.info(f"{done}/{total} {result}")

    with warehouse.connect() as conn:
        report = sync_inventory(
            aws_inventory.aws_settings(), conn, clock=aws_inventory.clock(), progress=log_progress
        )
    metadata = report_metadata(report)
    if report.slices_ok == 0:
        raise Failure(
            f"no AWS inventory slice could be loaded ({report.slices_failed} failed)", metadata=metadata
        )
    return MaterializeResult(metadata=metadata)


def report_metadata(report: SyncReport) -> dict[str, MetadataValue]:
    """What a sync did, for the materialization: counts, and the failures with their (redacted) messages."""
    failures = [
        {key: value for key, value in asdict(f).items() if key != "row_count"} for f in report.failures
    ]
    return {
        "sync_id": MetadataValue.text(report.sync_id),
        "rows": MetadataValue.int(report.total_rows),
        "rows_by_type": MetadataValue.json(report.rows_by_type),
        "slices_ok": MetadataValue.int(report.slices_ok),
        "slices_failed": MetadataValue.int(report.slices_failed),
        "failures": MetadataValue.json(failures),
        "duration_seconds": MetadataValue.float(report.duration_seconds),
    }


def _query_check(
    warehouse: WarehouseResource, query: str, columns: tuple[str, ...], **result
) -> AssetCheckResult:
    """Passes when ``query`` finds no rows; otherwise reports how many and the first few."""
    with warehouse.connect() as conn:
        rows = conn.execute(query).fetchall()
    sample = [dict(zip(columns, row, strict=True)) for row in rows[:SAMPLE]]
    return AssetCheckResult(
        passed=not rows, metadata={"count": len(rows), "sample": MetadataValue.json(sample)}, **result
    )


@asset_check(
    asset=RESOURCES_KEY, description="No slice failed in its latest attempt (see raw_aws.sync_errors)."
)
def aws_inventory_slices_ok(warehouse: WarehouseResource) -> AssetCheckResult:
    # A failed slice still serves its previous rows, so this warns rather than blocks.
    columns = ("account_id", "region", "resource_type", "error_code", "message")
    return _query_check(warehouse, FAILED_SLICES, columns, severity=AssetCheckSeverity.WARN)


@asset_check(
    asset=RESOURCES_KEY,
    description="Every resource has a non-empty resource_id and a Tags list of {Key, Value} strings.",
)
def aws_inventory_documents_well_formed(warehouse: WarehouseResource) -> AssetCheckResult:
    return _query_check(
        warehouse, MALFORMED_DOCUMENTS, ("account_id", "region", "resource_type", "resource_id")
    )


@asset_check(asset=RESOURCES_KEY, description="No ARN is loaded twice (say a bucket in two regions' slices).")
def aws_inventory_unique_arns(warehouse: WarehouseResource) -> AssetCheckResult:
    return _query_check(warehouse, DUPLICATE_ARNS, ("arn", "copies", "slices"))


AWS_INVENTORY_ASSETS = [aws_resources]
AWS_INVENTORY_CHECKS = [
    aws_inventory_slices_ok,
    aws_inventory_documents_well_formed,
    aws_inventory_unique_arns,
]
