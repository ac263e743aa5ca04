"""GCP cost of one invoice month from the Cloud Billing detailed usage cost export in BigQuery, as FOCUS rows.

The export table ``<project>.<dataset>.gcp_billing_export_resource_v1_<BILLING_ACCOUNT>`` is read with one
parameterised query: ``invoice.month = @invoice_month`` decides which rows belong to the month, and a
``_PARTITIONTIME`` window (from a month before to a month after the invoice month) prunes the daily
partitions, so the query scans three months instead of the whole table; corrections to usage older than
that window are not read. Results are paged through ``jobs.getQueryResults``.

The mapping follows Google's FOCUS view of this export, with credits as rows of their own:

======================  ===================================================================================
FOCUS column            from the export
======================  ===================================================================================
BilledCost              cost (one Credit row per credit carries credits.amount)
EffectiveCost           cost (likewise)
ListCost                cost_at_list, else cost; 0 on Credit rows
ContractedCost          cost; 0 on Credit rows
ChargeCategory          cost_type: regular -> Usage, tax -> Tax, adjustment and rounding_error ->
                        Adjustment; each credit -> Credit, with the dimensions of the row it reduces
ChargeClass             Correction when adjustment_info is set
ChargeDescription       sku.description; credits.full_name (else name) on Credit rows
ChargeFrequency         Usage-Based for regular rows, One-Time for the rest (Credit rows: as their row)
ChargePeriodStart/End   usage_start_time / usage_end_time (hourly, as exported)
BillingPeriodStart/End  invoice.month, a calendar month in Pacific Time (Google invoices on it)
BillingAccountId/Name   billing_account_id
SubAccountId/Name       project.id / project.name
ServiceName             service.description; ServiceCategory from ``SERVICE_CATEGORIES``, else Other
SkuId                   sku.id
RegionId, RegionName    location.region (the export has no display name); AvailabilityZone location.zone
ResourceId, ResourceName  resource.global_name, resource.name
ConsumedQuantity/Unit   usage.amount / usage.unit (regular rows)
PricingQuantity/Unit    usage.amount_in_pricing_units / usage.pricing_unit (regular rows)
ContractedUnitPrice     price.effective_price (regular rows)
PricingCategory         Committed for commitment SKUs and usage with a committed use discount, else
                        Standard (regular rows)
PublisherName           Google Cloud, or seller_name for third-party (Marketplace) rows
ProviderName,           Google Cloud
InvoiceIssuerName
Tags                    project.labels, then labels, then resource-manager tags (a later key wins)
x_CostType,             cost_type, and credits.type on Credit rows (FOCUS extension columns)
x_CreditType
======================  ===================================================================================

Rows identical in every column but their amounts (the export can deliver one resource-hour in parts) are
summed, so every FOCUS row is distinct and its content-derived line item id unique.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
from google.api_core.exceptions import GoogleAPICallError
from google.cloud import bigquery

from assets.billing.focus import focus_frame

PROVIDER = "Google Cloud"
INVOICE_ZONE = ZoneInfo("America/Los_Angeles")
CHARGE_CATEGORIES = {
    "regular": "Usage",
    "tax": "Tax",
    "adjustment": "Adjustment",
    "rounding_error": "Adjustment",
}
EXTENSIONS = ("x_CostType", "x_CreditType")
AMOUNTS = ("BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ConsumedQuantity", "PricingQuantity")
SERVICE_CATEGORIES = {
    "Compute Engine": "Compute", "Kubernetes Engine": "Compute", "Cloud Run": "Compute",
    "Cloud Run Functions": "Compute", "Cloud Functions": "Compute", "App Engine": "Compute",
    "Cloud Storage": "Storage", "Filestore": "Storage",
    "Cloud SQL": "Databases", "Cloud Spanner": "Databases", "Cloud Firestore": "Databases",
    "Cloud Bigtable": "Databases", "Cloud Memorystore for Redis": "Databases", "AlloyDB": "Databases",
    "BigQuery": "Analytics", "Dataflow": "Analytics", "Cloud Dataproc": "Analytics",
    "Networking": "Networking", "Cloud DNS": "Networking", "Cloud CDN": "Networking",
    "Cloud Logging": "Management and Governance", "Cloud Monitoring": "Management and Governance",
    "Secret Manager": "Security", "Cloud Key Management Service (KMS)": "Security",
    "Security Command Center": "Security", "Identity Platform": "Identity",
    "Vertex AI": "AI and Machine Learning", "Cloud Pub/Sub": "Integration",
    "Cloud Build": "Developer Tools", "Artifact Registry": "Developer Tools",
}  # fmt: skip

_TABLE = re.compile(
    r"(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]"  # project, with an optional domain
    r"\.[A-Za-z0-9_]+"  # dataset
    r"\.gcp_billing_export_resource_v1_[A-Za-z0-9_]+"
)
_MONTH = re.compile(r"\d{4}(0[1-9]|1[0-2])")

QUERY = """
SELECT
  billing_account_id,
  invoice.month AS invoice_month,
  cost_type,
  service.description AS service_description,
  sku.id AS sku_id,
  sku.description AS sku_description,
  usage_start_time,
  usage_end_time,
  project.id AS project_id,
  project.name AS project_name,
  project.labels AS project_labels,
  labels,
  tags,
  location.region AS region,
  location.zone AS zone,
  resource.name AS resource_name,
  resource.global_name AS resource_global_name,
  CAST(cost AS NUMERIC) AS cost,
  CAST(cost_at_list AS NUMERIC) AS cost_at_list,
  currency,
  CAST(usage.amount AS NUMERIC) AS usage_amount,
  usage.unit AS usage_unit,
  CAST(usage.amount_in_pricing_units AS NUMERIC) AS pricing_quantity,
  usage.pricing_unit AS pricing_unit,
  price.effective_price AS effective_price,
  adjustment_info.id AS adjustment_id,
  transaction_type,
  seller_name,
  ARRAY(SELECT AS STRUCT c.name, c.full_name, c.type, CAST(c.amount AS NUMERIC) AS amount
        FROM UNNEST(credits) AS c) AS credits
FROM `{table}`
WHERE _PARTITIONTIME >= @partition_start
  AND _PARTITIONTIME < @partition_end
  AND invoice.month = @invoice_month
"""


class BigQueryBillingError(RuntimeError):
    """The export query failed; the message names the table and BigQuery's error reason, never a token."""


def fetch_gcp_billing(
    client: bigquery.Client, table: str, invoice_month: str, *, page_size: int = 20_000
) -> pl.DataFrame:
    """FOCUS rows of one invoice month ('YYYYMM') of a detailed usage cost export table.

    ``client`` is a ``google.cloud.bigquery.Client`` for the project that runs the query (production:
    application default credentials; ``client_options={"api_endpoint": ...}`` points it elsewhere);
    ``table`` is ``project.dataset.gcp_billing_export_resource_v1_<ACCOUNT>``. Raises ``BigQueryBillingError``
    naming the table and BigQuery's error reason when the query fails.
    """
    if not _TABLE.fullmatch(table):
        raise ValueError(
            f"{table!r} is not a detailed usage cost export table"
            " (project.dataset.gcp_billing_export_resource_v1_<BILLING_ACCOUNT>)"
        )
    if not _MONTH.fullmatch(invoice_month):
        raise ValueError(f"invoice month {invoice_month!r} is not YYYYMM")
    month_utc = datetime(int(invoice_month[:4]), int(invoice_month[4:]), 1, tzinfo=UTC)
    config = bigquery.QueryJobConfig(
        query_parameters=[
            bigquery.ScalarQueryParameter("invoice_month", "STRING", invoice_month),
            bigquery.ScalarQueryParameter("partition_start", "TIMESTAMP", _shift_months(month_utc, -1)),
            bigquery.ScalarQueryParameter("partition_end", "TIMESTAMP", _shift_months(month_utc, 2)),
        ]
    )
    try:
        rows = client.query_and_wait(QUERY.format(table=table), job_config=config, page_size=page_size)
        period = billing_period(invoice_month)
        records = [record for row in rows for record in _records(dict(row.items()), period)]
    except GoogleAPICallError as err:
        reason = (err.errors[0].get("reason") if err.errors else None) or ""
        raise BigQueryBillingError(
            f"BigQuery query of {table} for invoice month {invoice_month} failed: "
            f"HTTP {err.code} {reason}: {err.message}"
        ) from None
    frame = focus_frame(records, EXTENSIONS)
    dimensions = [name for name in frame.columns if name not in AMOUNTS]
    # Parts of one charge are summed; an amount null in every part stays null.
    sums = [pl.when(pl.col(name).count() > 0).then(pl.col(name).sum()).alias(name) for name in AMOUNTS]
    return frame.group_by(dimensions, maintain_order=True).agg(sums).select(frame.columns)


def billing_period(invoice_month: str) -> tuple[datetime, datetime]:
    """[start, end) of an invoice month, midnight Pacific Time, in UTC."""
    start = datetime(int(invoice_month[:4]), int(invoice_month[4:]), 1, tzinfo=INVOICE_ZONE)
    return start.astimezone(UTC), _shift_months(start, 1).astimezone(UTC)


def _records(row: Mapping[str, Any], period: tuple[datetime, datetime]) -> Iterator[dict[str, Any]]:
    """The row's charge, then one Credit row per credit, sharing the row's dimensions."""
    cost_type = row["cost_type"]
    try:
        category = CHARGE_CATEGORIES[cost_type]
    except KeyError:
        raise ValueError(
            f"GCP cost_type {cost_type!r} has no FOCUS ChargeCategory (account {row['billing_account_id']})"
        ) from None
    regular = cost_type == "regular"
    credits = row["credits"] or []
    committed = (row["sku_description"] or "").lower().startswith("commitment") or any(
        (credit["type"] or "").startswith("COMMITTED_USAGE_DISCOUNT") for credit in credits
    )
    service = row["service_description"]
    third_party = row["transaction_type"] not in (None, "GOOGLE")
    dimensions = {
        "BillingCurrency": row["currency"],
        "BillingAccountId": row["billing_account_id"],
        "BillingAccountName": row["billing_account_id"],
        "BillingPeriodStart": period[0],
        "BillingPeriodEnd": period[1],
        "ChargePeriodStart": row["usage_start_time"],
        "ChargePeriodEnd": row["usage_end_time"],
        "ChargeClass": "Correction" if row["adjustment_id"] else None,
        "ChargeFrequency": "Usage-Based" if regular else "One-Time",
        "ProviderName": PROVIDER,
        "PublisherName": (row["seller_name"] or PROVIDER) if third_party else PROVIDER,
        "InvoiceIssuerName": PROVIDER,
        "AvailabilityZone": row["zone"],
        "RegionId": row["region"],
        "RegionName": row["region"],
        "ResourceId": row["resource_global_name"],
        "ResourceName": row["resource_name"],
        "ServiceName": service,
        "ServiceCategory": SERVICE_CATEGORIES.get(service, "Other"),
        "SkuId": row["sku_id"],
        "SubAccountId": row["project_id"],
        "SubAccountName": row["project_name"],
        "Tags": _tags_json(row),
        "x_CostType": cost_type,
    }
    cost = row["cost"]
    yield dimensions | {
        "BilledCost": cost,
        "EffectiveCost": cost,
        "ListCost": cost if row["cost_at_list"] is None else row["cost_at_list"],
        "ContractedCost": cost,
        "ChargeCategory": category,
        "ChargeDescription": row["sku_description"],
        "ConsumedQuantity": row["usage_amount"] if regular else None,
        "ConsumedUnit": row["usage_unit"] if regular else None,
        "PricingQuantity": row["pricing_quantity"] if regular else None,
        "PricingUnit": row["pricing_unit"] if regular else None,
        "ContractedUnitPrice": row["effective_price"] if regular else None,
        "PricingCategory": ("Committed" if committed else "Standard") if regular else None,
    }
    for credit in credits:
        yield dimensions | {
            "BilledCost": credit["amount"],
            "EffectiveCost": credit["amount"],
            "ListCost": Decimal(0),
            "ContractedCost": Decimal(0),
            "ChargeCategory": "Credit",
            "ChargeDescription": credit["full_name"] or credit["name"],
            "x_CreditType": credit["type"],
        }


def _tags_json(row: Mapping[str, Any]) -> str:
    """Project labels, then resource labels, then resource-manager tags, as one JSON object (later wins)."""
    tags = {
        item["key"]: item["value"]
        for field in ("project_labels", "labels", "tags")
        for item in row[field] or ()
    }
    return json.dumps(tags, sort_keys=True)


def _shift_months(moment: datetime, months: int) -> datetime:
    """The first of the month ``months`` away, same wall-clock time and zone."""
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1)
