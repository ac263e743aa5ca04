"""Azure Cost Management scopes and BigQuery billing export tables as Dagster assets.

Each configured source is read a billing month at a time into FOCUS rows (assets/billing/azure.py, gcp.py)
and loaded through the same gate and atomic slice replacement as the FOCUS files: a slice that fails
validation is quarantined and its previous rows stay. A month that cannot be read (refused credentials, a
missing table) is reported by the asset's blocking check and leaves its slice as it was; the other months and
sources still load. Credentials: azure-identity's ``DefaultAzureCredential`` and Google's application default
credentials.
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any
from uuid import uuid4

import dagster as dg
import polars as pl

from assets.billing.assets import AZURE_COSTS, BIGQUERY_BILLING, results_of
from assets.billing.loader import IngestReport, load_focus_frame
from assets.resources import WarehouseResource
from cloudforge.clock import Clock
from cloudforge.settings import AzureCostSource, BigQueryExport, BillingMonths, BillingSettings
from cloudforge.warehouse import ensure_schema

AZURE_CHECK = "azure_slices_valid"
BIGQUERY_CHECK = "bigquery_slices_valid"
CHECK_DESCRIPTION = "No slice of the latest load was quarantined, and every configured month could be read."


def months_to_read(source: BillingMonths, today: date) -> list[date]:
    """First days of the months ``source`` names, else of its ``recent_months`` ending with today's month."""
    if source.months:
        return [date(int(month[:4]), int(month[5:]), 1) for month in source.months]
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - source.recent_months + 1, index + 1)]


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def load_months(
    warehouse: WarehouseResource,
    source_uri: str,
    months: list[date],
    fetch: Callable[[date], pl.DataFrame],
    errors: tuple[type[Exception], ...],
    logger,
) -> tuple[IngestReport, list[str]]:
    """Fetch and load each month's FOCUS rows: (the report, the months that could not be read)."""
    report = IngestReport(source=source_uri, load_id=uuid4())
    unreadable: list[str] = []
    with warehouse.connect() as conn:
        ensure_schema(conn)
        for month in months:
            try:
                frame = fetch(month)
            except (*errors, ValueError) as exc:  # this month stays as it was; the others load
                unreadable.append(f"{source_uri} {month:%Y-%m}: {exc}")
                logger.error(unreadable[-1])
                continue
            results = load_focus_frame(conn, frame, source_uri=source_uri, load_id=report.load_id)
            report.slices.extend(results)
            for result in results:
                logger.info(result.message())
    return report, unreadable


def build_api_billing_assets(billing: BillingSettings, clock: Clock) -> list[dg.AssetsDefinition]:
    """The Azure and BigQuery assets, reading the scopes and tables ``billing`` names (none: nothing); the
    months to read count back from ``clock``'s today."""
    return [
        api_billing_asset(
            AZURE_COSTS, AZURE_CHECK, "azure", billing.azure, load_azure_scope, clock,
            "Azure Cost Management scopes (ActualCost and AmortizedCost, daily) as FOCUS slices of "
            "raw_billing.focus_charges, one per scope's billing entity and month.",
        ),
        api_billing_asset(
            BIGQUERY_BILLING, BIGQUERY_CHECK, "bigquery", billing.bigquery, load_bigquery_export, clock,
            "GCP billing export tables in BigQuery (detailed usage cost) as FOCUS slices of "
            "raw_billing.focus_charges, one per billing account and invoice month.",
        ),
    ]  # fmt: skip


def api_billing_asset(
    key: dg.AssetKey,
    check_name: str,
    kind: str,
    sources: Sequence[BillingMonths],
    load_source: Callable[[WarehouseResource, Any, Any, date], tuple[IngestReport, list[str]]],
    clock: Clock,
    description: str,
) -> dg.AssetsDefinition:
    """An asset loading each of ``sources`` with ``load_source``, with its blocking check ``check_name``."""

    @dg.asset(
        key=key,
        group_name="billing",
        kinds={kind, "postgres"},
        description=description,
        check_specs=[dg.AssetCheckSpec(check_name, asset=key, blocking=True, description=CHECK_DESCRIPTION)],
    )
    def load_api_billing(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult]:
        today = clock.today()
        loads = [load_source(warehouse, source, context.log, today) for source in sources]
        reports, problems = [report for report, _ in loads], [p for _, found in loads for p in found]
        yield from results_of(reports, problems, asset_key=key, check_name=check_name)

    return load_api_billing


def load_azure_scope(
    warehouse: WarehouseResource, source: AzureCostSource, logger, today: date
) -> tuple[IngestReport, list[str]]:
    from azure.core.exceptions import AzureError
    from azure.identity import DefaultAzureCredential

    from assets.billing.azure import AzureCostError, fetch_azure_costs

    with DefaultAzureCredential() as credential:
        return load_months(
            warehouse,
            f"azure-cost-management:{source.scope}",
            months_to_read(source, today),
            lambda month: fetch_azure_costs(
                source.scope, month, next_month(month), credential, base_url=source.endpoint_url
            ),
            (AzureCostError, AzureError),
            logger,
        )


def load_bigquery_export(
    warehouse: WarehouseResource, source: BigQueryExport, logger, today: date
) -> tuple[IngestReport, list[str]]:
    from google.api_core.exceptions import GoogleAPICallError
    from google.auth.exceptions import GoogleAuthError
    from google.cloud import bigquery

    from assets.billing.gcp import BigQueryBillingError, fetch_gcp_billing

    source_uri = f"bigquery:{source.table_id}"
    try:
        client = bigquery.Client(
            project=source.job_project or source.project,
            client_options={"api_endpoint": source.endpoint_url} if source.endpoint_url else None,
        )
    except GoogleAuthError as exc:
        logger.error(f"{source_uri}: {exc}")
        return IngestReport(source=source_uri, load_id=uuid4()), [f"{source_uri}: {exc}"]
    with client:
        return load_months(
            warehouse,
            source_uri,
            months_to_read(source, today),
            lambda month: fetch_gcp_billing(client, source.table_id, f"{month:%Y%m}"),
            (BigQueryBillingError, GoogleAPICallError, GoogleAuthError),
            logger,
        )
