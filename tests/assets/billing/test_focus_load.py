"""FOCUS files into a real PostgreSQL: exact rows and sums, restated slices, quarantined bad slices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from support.focus_samples import AWS_ACCOUNT, AZURE_ACCOUNT, GCP_ACCOUNT, charge, write_aws_parquet, write_csv

from assets.billing.focus import META_COLUMNS
from cloudforge.focus import COLUMNS
from assets.billing.loader import ingest_focus_source, load_focus_slice

JANUARY, FEBRUARY = date(2024, 1, 1), date(2024, 2, 1)
SQL_TYPES = {"string": "text", "decimal": "numeric", "datetime": "timestamp with time zone", "json": "jsonb"}


def slice_totals(conn) -> dict[tuple[str, str, date], tuple[int, Decimal, Decimal]]:
    rows = conn.execute(
        "SELECT provider, billing_account_id, billing_period, count(*), sum(billed_cost), sum(effective_cost)"
        " FROM raw_billing.focus_charges GROUP BY 1, 2, 3"
    ).fetchall()
    return {(p, a, b): (n, billed, effective) for p, a, b, n, billed, effective in rows}


def test_the_table_has_every_mapped_column_with_its_type(billing_db):
    columns = billing_db.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = 'raw_billing' AND table_name = 'focus_charges' ORDER BY ordinal_position"
    ).fetchall()

    assert [name for name, _ in columns] == [c.column for c in COLUMNS] + list(META_COLUMNS)
    assert columns[: len(COLUMNS)] == [(c.column, SQL_TYPES[c.kind]) for c in COLUMNS]


def test_a_directory_of_csv_gz_and_parquet_loads_exactly(billing_db, tmp_path):
    write_csv(
        tmp_path / "mixed.csv",
        [
            charge("aws", 1, "10.01", ChargeDescription='EC2, "on demand"\nus-east-1'),
            charge("azure", 1, "20.10", Tags=None),
            charge("azure", 2, "0.0000000417"),
            charge("gcp", 1, "5.55", ChargeCategory="Credit", BilledCost="-5.55", EffectiveCost="-5.55"),
        ],
    )
    write_csv(tmp_path / "aws" / "more.csv.gz", [charge("aws", 2, "1.99"), charge("aws", 3, "0.01")], gz=True)
    write_aws_parquet(
        tmp_path / "aws" / "export.parquet",
        [
            charge("aws", 4, "0.1", x_ServiceCode="AmazonEC2"),
            charge("aws", 5, "0.2", x_ServiceCode="AmazonS3"),
        ],
    )

    report = ingest_focus_source(billing_db, str(tmp_path))

    assert [(str(s.key), s.status, s.rows) for s in report.slices] == [
        (f"aws/{AWS_ACCOUNT}/2024-01", "loaded", 5),
        (f"azure/{AZURE_ACCOUNT}/2024-01", "loaded", 2),
        (f"gcp/{GCP_ACCOUNT}/2024-01", "loaded", 1),
    ]
    assert slice_totals(billing_db) == {
        ("aws", AWS_ACCOUNT, JANUARY): (5, Decimal("12.31"), Decimal("12.31")),
        ("azure", AZURE_ACCOUNT, JANUARY): (2, Decimal("20.1000000417"), Decimal("20.1000000417")),
        ("gcp", GCP_ACCOUNT, JANUARY): (1, Decimal("-5.55"), Decimal("-5.55")),
    }
    aws_rows = billing_db.execute(
        "SELECT charge_description, tags ->> 'team', extensions ->> 'x_ServiceCode', charge_class, source_uri"
        " FROM raw_billing.focus_charges WHERE provider = 'aws' ORDER BY charge_period_start"
    ).fetchall()
    assert aws_rows == [
        ('EC2, "on demand"\nus-east-1', "payments", None, None, str(tmp_path / "mixed.csv")),
        ("aws usage on day 2", "payments", None, None, str(tmp_path / "aws" / "more.csv.gz")),
        ("aws usage on day 3", "payments", None, None, str(tmp_path / "aws" / "more.csv.gz")),
        ("aws usage on day 4", "payments", "AmazonEC2", None, str(tmp_path / "aws" / "export.parquet")),
        ("aws usage on day 5", "payments", "AmazonS3", None, str(tmp_path / "aws" / "export.parquet")),
    ]
    assert billing_db.execute(
        "SELECT count(*) FROM raw_billing.focus_charges WHERE tags IS NULL AND provider = 'azure'"
    ).fetchone() == (1,)
    assert billing_db.execute("SELECT status, count(*) FROM raw_billing.load_log GROUP BY 1").fetchall() == [
        ("loaded", 3)
    ]


def test_restating_a_slice_replaces_it_and_leaves_the_others(billing_db, tmp_path):
    first, second = tmp_path / "day1", tmp_path / "day2"
    write_csv(first / "aws.csv", [charge("aws", d, "1.00") for d in (1, 2, 3)])
    write_csv(first / "azure.csv", [charge("azure", 1, "7.00")])
    write_csv(second / "aws.csv", [charge("aws", 1, "1.50"), charge("aws", 2, "2.25")])  # restated, one fewer

    ingest_focus_source(billing_db, str(first))
    ingest_focus_source(billing_db, str(second))

    assert slice_totals(billing_db) == {
        ("aws", AWS_ACCOUNT, JANUARY): (2, Decimal("3.75"), Decimal("3.75")),
        ("azure", AZURE_ACCOUNT, JANUARY): (1, Decimal("7.00"), Decimal("7.00")),
    }


def test_a_bad_file_is_quarantined_while_good_slices_load_and_its_old_rows_stay(billing_db, tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    write_csv(good / "aws-february.csv", [charge("aws", d, "2.00", month=2) for d in (1, 2)])
    ingest_focus_source(billing_db, str(good))
    write_csv(
        bad / "aws-february.csv",
        [
            charge("aws", 1, "3.00", month=2),
            charge("aws", 2, "3.00", month=2, ChargeCategory="Usagee"),
            charge("aws", 3, "3.00", month=2, ChargePeriodEnd="2024-02-01T00:00:00Z"),
        ],
    )
    write_csv(bad / "azure-february.csv", [charge("azure", 1, "4.00", month=2)])

    report = ingest_focus_source(billing_db, str(bad))

    assert [(str(s.key), s.status) for s in report.slices] == [
        (f"aws/{AWS_ACCOUNT}/2024-02", "quarantined"),
        (f"azure/{AZURE_ACCOUNT}/2024-02", "loaded"),
    ]
    assert slice_totals(billing_db) == {
        ("aws", AWS_ACCOUNT, FEBRUARY): (2, Decimal("4.00"), Decimal("4.00")),  # the previous good rows
        ("azure", AZURE_ACCOUNT, FEBRUARY): (1, Decimal("4.00"), Decimal("4.00")),
    }
    bad_file = str(bad / "aws-february.csv")
    quarantined = billing_db.execute(
        "SELECT provider, billing_account_id, billing_period, source_uri, rule, failing_rows,"
        " jsonb_path_query_array(example_rows, '$[*].record') FROM raw_billing.quarantine ORDER BY rule"
    ).fetchall()
    assert quarantined == [
        ("aws", AWS_ACCOUNT, FEBRUARY, bad_file, "allowed_values", 1, [2]),
        ("aws", AWS_ACCOUNT, FEBRUARY, bad_file, "charge_period_order", 1, [3]),
    ]
    message = report.refused[0].message()
    assert bad_file in message and "rule allowed_values" in message and "record 2" in message
    assert '"ChargeCategory": "Usagee"' in message
    assert billing_db.execute(
        "SELECT status, billing_account_id, row_count FROM raw_billing.load_log ORDER BY logged_at"
    ).fetchall() == [
        ("loaded", AWS_ACCOUNT, 2),
        ("quarantined", AWS_ACCOUNT, 3),
        ("loaded", AZURE_ACCOUNT, 1),
    ]


def test_an_unreadable_file_is_quarantined_and_the_rest_loads(billing_db, tmp_path):
    (tmp_path / "truncated.csv.gz").write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    write_csv(tmp_path / "gcp.csv", [charge("gcp", 1, "9.99")])

    report = ingest_focus_source(billing_db, str(tmp_path))

    assert [(s.status, s.source_uri) for s in report.slices] == [
        ("quarantined", str(tmp_path / "truncated.csv.gz")),
        ("loaded", str(tmp_path / "gcp.csv")),
    ]
    assert billing_db.execute("SELECT provider, source_uri, rule FROM raw_billing.quarantine").fetchall() == [
        (None, str(tmp_path / "truncated.csv.gz"), "readable")
    ]


def test_an_adapter_frame_loads_as_one_slice_and_must_be_one(billing_db):
    frame = pl.DataFrame([charge("azure", d, "1.25") for d in (1, 2)])

    result = load_focus_slice(billing_db, frame, source_uri="azure-query:/subscriptions/x")

    assert (str(result.key), result.status, result.rows) == (f"azure/{AZURE_ACCOUNT}/2024-01", "loaded", 2)
    with pytest.raises(ValueError, match="expected the rows of one slice, found 2"):
        load_focus_slice(billing_db, pl.concat([frame, pl.DataFrame([charge("gcp")])]), source_uri="mixed")


def test_a_slice_postgresql_refuses_fails_and_its_previous_rows_stay(billing_db):
    load_focus_slice(billing_db, pl.DataFrame([charge("gcp", 1, "1.00")]), source_uri="first")
    # valid JSON that jsonb cannot store: PostgreSQL refuses the COPY after the gate passed it
    nul_tags = pl.DataFrame([charge("gcp", 1, "2.00", Tags='{"note": "\\u0000"}')])

    result = load_focus_slice(billing_db, nul_tags, source_uri="second")

    assert (result.status, result.error.splitlines()[0]) == (
        "failed",
        "UntranslatableCharacter: unsupported Unicode escape sequence",
    )
    assert slice_totals(billing_db) == {("gcp", GCP_ACCOUNT, JANUARY): (1, Decimal("1"), Decimal("1"))}
    assert billing_db.execute("SELECT status FROM raw_billing.load_log ORDER BY logged_at").fetchall() == [
        ("loaded",),
        ("failed",),
    ]
