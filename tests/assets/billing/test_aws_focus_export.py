"""An AWS Data Exports FOCUS export in S3 (a real moto server), read through its manifests into PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import boto3
import pyarrow.parquet as pq
import pytest
from support.focus_samples import AWS_ACCOUNT, AZURE_ACCOUNT, aws_table, charge, write_csv

from assets.billing.loader import ingest_focus_source

BUCKET = "cloudforge-focus-export-test"
EXPORT = "exports/cloudforge-focus"
EXPORT_ARN = "arn:aws:bcm-data-exports:us-east-1:111111111111:export/cloudforge-focus-0f1e2d3c"


@pytest.fixture
def s3(moto_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def put_parquet(s3, key: str, rows: list[dict]) -> str:
    buffer = io.BytesIO()
    pq.write_table(aws_table(rows), buffer, compression="snappy")
    s3.put_object(Bucket=BUCKET, Key=key, Body=buffer.getvalue())
    return f"s3://{BUCKET}/{key}"


def put_csv_gz(s3, key: str, rows: list[dict], tmp_path) -> str:
    s3.put_object(
        Bucket=BUCKET, Key=key, Body=write_csv(tmp_path / "part.csv.gz", rows, gz=True).read_bytes()
    )
    return f"s3://{BUCKET}/{key}"


def put_manifest(s3, period: str, data_files: list[str], execution: str) -> None:
    manifest = {
        "executionId": execution,
        "exportArn": EXPORT_ARN,
        "billingPeriod": {"start": f"{period}-01T00:00:00.000Z"},
        "columns": [{"name": "BilledCost", "type": "double"}, {"name": "x_ServiceCode", "type": "string"}],
        "dataFiles": data_files,
    }
    key = f"{EXPORT}/metadata/BILLING_PERIOD={period}/cloudforge-focus-Manifest.json"
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(manifest).encode())


def test_an_export_is_read_through_its_manifests(billing_db, s3, tmp_path):
    january = f"{EXPORT}/data/BILLING_PERIOD=2024-01"
    put_parquet(
        s3,
        f"{january}/20240105T0000Z-old/cloudforge-focus-00001.snappy.parquet",
        [charge("aws", d, "100.00") for d in (1, 2, 3)],
    )  # an older execution the manifest no longer lists
    current = [
        put_parquet(
            s3,
            f"{january}/20240110T0000Z-new/cloudforge-focus-00001.snappy.parquet",
            [
                charge("aws", 1, "0.1", x_ServiceCode="AmazonEC2", x_UsageType="BoxUsage:t3.micro"),
                charge("aws", 2, "0.2", x_ServiceCode="AmazonEC2", x_UsageType="BoxUsage:t3.micro"),
            ],
        ),
        put_parquet(
            s3,
            f"{january}/20240110T0000Z-new/cloudforge-focus-00002.snappy.parquet",
            [charge("aws", 3, "12.34", x_ServiceCode="AmazonS3", x_UsageType="TimedStorage-ByteHrs")],
        ),
    ]
    put_manifest(s3, "2024-01", current, "20240110T0000Z-new")
    february = put_csv_gz(
        s3,
        f"{EXPORT}/data/BILLING_PERIOD=2024-02/20240203T0000Z/cloudforge-focus-00001.csv.gz",
        [charge("aws", 1, "5.00", month=2, x_ServiceCode="AWSLambda")],
        tmp_path,
    )
    put_manifest(s3, "2024-02", [february], "20240203T0000Z")
    missing = f"s3://{BUCKET}/{EXPORT}/data/BILLING_PERIOD=2024-03/20240302T0000Z/cloudforge-focus-00001.snappy.parquet"
    put_manifest(s3, "2024-03", [missing], "20240302T0000Z")
    s3.put_object(
        Bucket=BUCKET,
        Key="exports/dropped/azure.csv",
        Body=write_csv(tmp_path / "azure.csv", [charge("azure", 1, "7.50")]).read_bytes(),
    )

    report = ingest_focus_source(billing_db, f"s3://{BUCKET}/exports/", s3=s3)

    assert [(str(s.key), s.status, s.rows) for s in report.slices] == [
        ("?/?/?", "quarantined", 0),
        (f"aws/{AWS_ACCOUNT}/2024-01", "loaded", 3),
        (f"aws/{AWS_ACCOUNT}/2024-02", "loaded", 1),
        (f"azure/{AZURE_ACCOUNT}/2024-01", "loaded", 1),
    ]
    assert report.slices[0].violations[0].reason == "listed but missing (NoSuchKey)"
    assert (
        report.slices[0].source_uri
        == f"s3://{BUCKET}/{EXPORT}/metadata/BILLING_PERIOD=2024-03/cloudforge-focus-Manifest.json"
    )
    totals = billing_db.execute(
        "SELECT provider, billing_period, count(*), sum(billed_cost),"
        " array_agg(DISTINCT source_uri ORDER BY source_uri) FROM raw_billing.focus_charges"
        " GROUP BY 1, 2 ORDER BY 1, 2"
    ).fetchall()
    assert totals == [
        ("aws", date(2024, 1, 1), 3, Decimal("12.64"), current),
        ("aws", date(2024, 2, 1), 1, Decimal("5.00"), [february]),
        ("azure", date(2024, 1, 1), 1, Decimal("7.50"), [f"s3://{BUCKET}/exports/dropped/azure.csv"]),
    ]
    extensions = billing_db.execute(
        "SELECT extensions FROM raw_billing.focus_charges"
        " WHERE billing_period = '2024-01-01' AND provider = 'aws' ORDER BY charge_period_start"
    ).fetchall()
    assert [e for (e,) in extensions] == [
        {"x_ServiceCode": "AmazonEC2", "x_UsageType": "BoxUsage:t3.micro"},
        {"x_ServiceCode": "AmazonEC2", "x_UsageType": "BoxUsage:t3.micro"},
        {"x_ServiceCode": "AmazonS3", "x_UsageType": "TimedStorage-ByteHrs"},
    ]
    assert billing_db.execute("SELECT rule, source_uri FROM raw_billing.quarantine").fetchall() == [
        ("readable", missing)
    ]
