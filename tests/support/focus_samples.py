"""FOCUS rows and files for the billing tests, with known values so every assertion can be exact."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

AWS_ACCOUNT = "111111111111"
AZURE_ACCOUNT = "bp-4711"
GCP_ACCOUNT = "01A2B3-C4D5E6-F7G8H9"

PROVIDERS = {  # ProviderName, PublisherName/InvoiceIssuerName, billing account, currency
    "aws": ("AWS", "Amazon Web Services, Inc.", AWS_ACCOUNT, "USD"),
    "azure": ("Microsoft", "Microsoft", AZURE_ACCOUNT, "EUR"),
    "gcp": ("Google Cloud", "Google", GCP_ACCOUNT, "USD"),
}


def charge(
    provider: str = "aws", day: int = 1, cost: str = "1.00", month: int = 1, **values: str | None
) -> dict:
    """One FOCUS 1.0 row as text with every Mandatory column set; keyword arguments set any other column."""
    name, company, account, currency = PROVIDERS[provider]
    next_month = f"2024-{month + 1:02d}-01T00:00:00Z" if month < 12 else "2025-01-01T00:00:00Z"
    row = {
        "BilledCost": cost,
        "BillingAccountId": account,
        "BillingAccountName": f"{provider} billing",
        "BillingCurrency": currency,
        "BillingPeriodEnd": next_month,
        "BillingPeriodStart": f"2024-{month:02d}-01T00:00:00Z",
        "ChargeCategory": "Usage",
        "ChargeClass": None,
        "ChargeDescription": f"{provider} usage on day {day}",
        "ChargeFrequency": "Usage-Based",
        "ChargePeriodEnd": f"2024-{month:02d}-{day + 1:02d}T00:00:00Z",
        "ChargePeriodStart": f"2024-{month:02d}-{day:02d}T00:00:00Z",
        "ContractedCost": cost,
        "EffectiveCost": cost,
        "InvoiceIssuerName": company,
        "ListCost": cost,
        "PricingQuantity": "24",
        "PricingUnit": "Hours",
        "ProviderName": name,
        "PublisherName": company,
        "ResourceId": f"{provider}-vm-{day}",
        "ServiceCategory": "Compute",
        "ServiceName": "Virtual Machines",
        "SubAccountId": f"{provider}-sub",
        "Tags": '{"team": "payments", "env": "prod"}',
    }
    row.update(values)
    return row


def write_csv(path: Path, rows: list[dict], *, quote_all: bool = False, gz: bool = False) -> Path:
    """A FOCUS CSV as exports write it: NULL for null, CRLF line ends, fields quoted if needed (or always)."""
    columns = list(dict.fromkeys(c for row in rows for c in row))
    lines = [",".join(columns)] + [",".join(_field(row.get(c), quote_all) for c in columns) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _field(value: str | None, quote_all: bool) -> str:
    if value is None:
        return "NULL"
    if quote_all or any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_aws_parquet(path: Path, rows: list[dict]) -> Path:
    """A Parquet file typed like an AWS Data Exports FOCUS table: double costs, millisecond timestamps, a map
    of Tags, and the x_ columns AWS adds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(aws_table(rows), path)
    return path


def aws_table(rows: list[dict]) -> pa.Table:
    doubles = {"BilledCost", "ContractedCost", "EffectiveCost", "ListCost", "PricingQuantity"}
    stamps = {"BillingPeriodEnd", "BillingPeriodStart", "ChargePeriodEnd", "ChargePeriodStart"}
    columns = list(dict.fromkeys(c for row in rows for c in row))
    arrays = {}
    for column in columns:
        values = [row.get(column) for row in rows]
        if column in doubles:
            arrays[column] = pa.array([None if v is None else float(v) for v in values], pa.float64())
        elif column in stamps:
            arrays[column] = pa.array([v.removesuffix("Z") for v in values], pa.string()).cast(
                pa.timestamp("ms")
            )
        elif column == "Tags":
            arrays[column] = pa.array([_tag_pairs(v) for v in values], pa.map_(pa.string(), pa.string()))
        else:
            arrays[column] = pa.array(values, pa.string())
    return pa.table(arrays)


def _tag_pairs(tags: str | None) -> list[tuple[str, str]] | None:
    return None if tags is None else list(json.loads(tags).items())
