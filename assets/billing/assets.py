"""Dagster wiring of the FOCUS file ingestion: one asset, its blocking check, and the resource naming sources.

For pipelines/definitions.py: ``BILLING_ASSETS`` (one multi-asset writing focus_charges and load_log;
focus_charges carries the check ``focus_slices_valid``) and
``FocusSourcesResource`` under the resource key ``focus_sources``, beside ``warehouse`` (WarehouseResource).
The Azure and BigQuery assets (assets/billing/api_assets.py) load into the same table before it.
"""

from collections.abc import Iterator

import dagster as dg
from botocore.exceptions import BotoCoreError, ClientError

from assets.billing.focus_files import DEFAULT_MAX_EXPANDED_BYTES, ReadOptions
from assets.billing.loader import IngestReport, ingest_focus_source
from assets.resources import WarehouseResource
from cloudforge.warehouse import ensure_schema

FOCUS_CHARGES = dg.AssetKey(["raw_billing", "focus_charges"])
AZURE_COSTS = dg.AssetKey(["raw_billing", "azure_cost_management"])
BIGQUERY_BILLING = dg.AssetKey(["raw_billing", "bigquery_billing_export"])
LOAD_LOG = dg.AssetKey(["raw_billing", "load_log"])
CHECK_NAME = "focus_slices_valid"


class FocusSourcesResource(dg.ConfigurableResource):
    """Where FOCUS billing files are delivered: directories and ``s3://bucket/prefix`` URIs. AWS Data Exports
    below an S3 prefix are found by their manifests. S3 credentials come from the boto3 chain."""

    sources: list[str] = []
    s3_endpoint_url: str | None = None  # a moto server or another S3-compatible store; None: AWS
    max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_BYTES  # settings billing.max_expanded_bytes
    follow_symlinks: bool = False  # settings billing.follow_symlinks

    def read_options(self) -> ReadOptions:
        return ReadOptions(max_expanded_bytes=self.max_expanded_bytes, follow_symlinks=self.follow_symlinks)

    def s3_client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.s3_endpoint_url)


@dg.multi_asset(
    name="focus_billing",
    specs=[
        dg.AssetSpec(
            FOCUS_CHARGES,
            group_name="billing",
            description="FOCUS billing rows of every provider, one atomically replaced slice per provider, "
            "billing account and billing period; slices that fail validation are quarantined "
            "(raw_billing.quarantine). The Azure and BigQuery assets load their slices first.",
            deps=[AZURE_COSTS, BIGQUERY_BILLING],
        ),
        dg.AssetSpec(
            LOAD_LOG,
            group_name="billing",
            description="Every slice load attempt (loaded, quarantined or failed, and why), written with the "
            "slice it reports on.",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=FOCUS_CHARGES,
            blocking=True,
            description="No slice of the latest load was quarantined or failed to load.",
        )
    ],
)
def focus_billing(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, focus_sources: FocusSourcesResource
) -> Iterator[dg.MaterializeResult]:
    s3 = focus_sources.s3_client() if any(s.startswith("s3://") for s in focus_sources.sources) else None
    reports: list[IngestReport] = []
    unreachable: list[str] = []
    with warehouse.connect() as conn:
        ensure_schema(conn)  # the cost models read the tables even when no source is configured yet
        for source in focus_sources.sources:
            try:
                reports.append(
                    ingest_focus_source(
                        conn, source, s3=s3, logger=context.log, options=focus_sources.read_options()
                    )
                )
            except (OSError, BotoCoreError, ClientError) as exc:  # this source stays as it was; others load
                unreachable.append(f"{source}: {type(exc).__name__}: {exc}")
                context.log.error(unreachable[-1])
    yield from results_of(reports, unreachable)
    yield dg.MaterializeResult(asset_key=LOAD_LOG, metadata={"attempts": sum(len(r.slices) for r in reports)})


def results_of(
    reports: list[IngestReport], unreachable: list[str], asset_key: dg.AssetKey = FOCUS_CHARGES,
    check_name: str = CHECK_NAME,
) -> Iterator[dg.MaterializeResult]:
    """Materialization metadata (rows per slice) and the verdict of the blocking check."""
    slices = [s for report in reports for s in report.slices]
    refused = [s for report in reports for s in report.refused]
    table = ["| slice | status | rows |", "| --- | --- | --- |"] + [
        f"| {s.key} | {s.status} | {s.rows} |" for s in slices
    ]
    problems = [s.message() for s in refused] + unreachable
    warned = [s.message() for report in reports for s in report.warned]
    yield dg.MaterializeResult(
        asset_key=asset_key,
        metadata={
            "rows_loaded": sum(report.rows_loaded for report in reports),
            "slices_loaded": sum(len(report.loaded) for report in reports),
            "slices_refused": len(refused),
            "warnings": dg.MetadataValue.md("\n".join(f"- {w}" for w in warned) or "none"),
            "slices": dg.MetadataValue.md("\n".join(table)),
            "load_ids": [str(report.load_id) for report in reports],
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=check_name,
                passed=not problems,
                metadata={"problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "none")},
            )
        ],
    )


BILLING_ASSETS = [focus_billing]
