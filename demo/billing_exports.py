"""Publish the demo billing where providers deliver billing, for the FOCUS ingestion to find.

* AWS: a FOCUS 1.2 Data Export in the demo cloud's S3, as AWS Data Exports writes one: in the management
  account's bucket ``EXPORT_BUCKET``, per billing period one Snappy Parquet file (doubles for amounts,
  millisecond timestamps, Tags as a map, the x_ columns) and its manifest:

      s3://cloudforge-billing-exports/focus/cloudforge-focus/  (the export; EXPORT_PREFIX/EXPORT_NAME)
          data/BILLING_PERIOD=2024-01/<execution>/cloudforge-focus-00001.snappy.parquet
          metadata/BILLING_PERIOD=2024-01/cloudforge-focus-Manifest.json  (its dataFiles name the file above)

  The bucket lives in us-east-2, a region the demo inventory does not cover, so the inventory still finds
  exactly the estate.
* Azure: ``<state_dir>/billing/azure/focus-azure-YYYY-MM.csv.gz`` as Cost Management FOCUS exports write
  CSV: the text NULL for nulls, Tags as JSON text, timestamps like 2024-01-01T00:00Z.
* GCP: ``<state_dir>/billing/gcp/focus-gcp-YYYY-MM.parquet`` (decimals, UTC timestamps, labels as JSON).

Publishing replaces what an earlier publication wrote there. ``demo_sources`` names them for the billing asset
in demo mode (pipelines/definitions.py).
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from demo.billing import DAYS, MANAGEMENT_ACCOUNT, DemoBilling, generate_billing
from demo.estate import Estate
from demo.seeding import ResourceIds, account_client

EXPORT_BUCKET = "cloudforge-billing-exports"
EXPORT_REGION = "us-east-2"
EXPORT_PREFIX = "focus"
EXPORT_NAME = "cloudforge-focus"
EXPORT_ARN = f"arn:aws:bcm-data-exports:us-east-1:{MANAGEMENT_ACCOUNT}:export/{EXPORT_NAME}-d3m0b111"
BILLING_DIR = "billing"


def publish_demo_billing(
    estate: Estate, resource_ids: ResourceIds, endpoint_url: str, state_dir: Path, today: date
) -> DemoBilling:
    """Generate the ``DAYS`` days of billing before ``today`` and publish all three providers' deliveries."""
    billing = generate_billing(estate, resource_ids, today - timedelta(days=DAYS), DAYS, estate.seed)
    write_aws_export(billing.frames["aws"], endpoint_url, execution=f"{today:%Y%m%d}T000000Z")
    write_provider_files(billing, Path(state_dir) / BILLING_DIR)
    return billing


def demo_sources(state_dir: Path) -> list[str]:
    """The FOCUS sources of the published demo billing: the AWS export in the demo cloud's S3 (read through
    the demo cloud's endpoint), the Azure and GCP files under the state directory."""
    return [f"s3://{EXPORT_BUCKET}/{EXPORT_PREFIX}/", str(Path(state_dir) / BILLING_DIR)]


def write_aws_export(frame: pl.DataFrame, endpoint_url: str, execution: str) -> list[str]:
    """Write the AWS rows as a Data Export, replacing the previous one; returns the manifests' URIs."""
    s3 = account_client(endpoint_url, MANAGEMENT_ACCOUNT, "s3", EXPORT_REGION)
    try:
        s3.create_bucket(
            Bucket=EXPORT_BUCKET, CreateBucketConfiguration={"LocationConstraint": EXPORT_REGION}
        )
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    export = f"{EXPORT_PREFIX}/{EXPORT_NAME}"
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=EXPORT_BUCKET, Prefix=f"{export}/"):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=EXPORT_BUCKET, Key=item["Key"])
    manifests = []
    for period, rows in _periods(frame):
        folder = f"BILLING_PERIOD={period:%Y-%m}"
        table = _aws_table(rows)
        body = io.BytesIO()
        pq.write_table(table, body, compression="snappy")
        data_key = f"{export}/data/{folder}/{execution}/{EXPORT_NAME}-00001.snappy.parquet"
        s3.put_object(Bucket=EXPORT_BUCKET, Key=data_key, Body=body.getvalue())
        manifest = {
            "exportArn": EXPORT_ARN,
            "exportName": EXPORT_NAME,
            "executionId": execution,
            "billingPeriod": {"start": _stamp(period), "end": _stamp(rows["BillingPeriodEnd"][0].date())},
            "columns": [{"name": f.name, "type": str(f.type)} for f in table.schema],
            "dataFiles": [f"s3://{EXPORT_BUCKET}/{data_key}"],
        }
        manifest_key = f"{export}/metadata/{folder}/{EXPORT_NAME}-Manifest.json"
        s3.put_object(Bucket=EXPORT_BUCKET, Key=manifest_key, Body=json.dumps(manifest).encode())
        manifests.append(f"s3://{EXPORT_BUCKET}/{manifest_key}")
    return manifests


def write_provider_files(billing: DemoBilling, directory: Path) -> list[Path]:
    """Azure as CSV.gz and GCP as Parquet, one file per billing period, replacing earlier files."""
    written = []
    for provider in ("azure", "gcp"):
        folder = directory / provider
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for period, rows in _periods(billing.frames[provider]):
            if provider == "azure":
                path = folder / f"focus-azure-{period:%Y-%m}.csv.gz"
                path.write_bytes(gzip.compress(_azure_csv(rows)))
            else:
                path = folder / f"focus-gcp-{period:%Y-%m}.parquet"
                rows.with_columns(pl.col(pl.Decimal).cast(pl.Decimal(38, 9))).write_parquet(path)
            written.append(path)
    return written


def _periods(frame: pl.DataFrame) -> list[tuple[date, pl.DataFrame]]:
    parts = frame.partition_by("BillingPeriodStart", as_dict=True, maintain_order=True)
    return sorted((start.date(), rows) for (start,), rows in parts.items())


def _aws_table(rows: pl.DataFrame) -> pa.Table:
    """Typed as AWS writes its FOCUS Parquet: doubles, timestamps in ms without a zone, maps for tags."""
    plain = rows.with_columns(
        pl.col(pl.Decimal).cast(pl.Float64),
        pl.col(pl.Datetime).dt.replace_time_zone(None).dt.cast_time_unit("ms"),
    ).to_arrow()
    tag_map = pa.map_(pa.string(), pa.string())
    texts = rows.get_column("Tags").to_list()
    pairs = {text: list(json.loads(text).items()) for text in set(texts) - {None}}  # tag sets repeat
    tags = pa.array([pairs.get(text) for text in texts], tag_map)
    empty = pa.nulls(rows.height, tag_map)
    columns = {"Tags": tags, "x_CostCategories": empty, "x_Discounts": empty}
    return pa.table({name: columns.get(name, plain.column(name)) for name in plain.column_names})


def _azure_csv(rows: pl.DataFrame) -> bytes:
    text = io.BytesIO()
    rows.write_csv(text, null_value="NULL", datetime_format="%Y-%m-%dT%H:%MZ")
    return text.getvalue()


def _stamp(day: date) -> str:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
