"""Reading FOCUS files as exports write them, and typing them exactly (no database needed)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl
import pytest
from support.focus_samples import AWS_ACCOUNT, AZURE_ACCOUNT, GCP_ACCOUNT, charge, write_aws_parquet, write_csv

from assets.billing.conform import ABSENT, SOURCE_ROW, SOURCE_URI, UNPARSED, conform
from assets.billing.focus_files import Delivery, SliceKey, UnreadableFile, read_delivery, split_slices

ODD_DESCRIPTION = 'Compute, "burst" credits\nsecond line'


def mixed_rows() -> list[dict]:
    return [
        charge("aws", 1, "1.10", ChargeDescription=ODD_DESCRIPTION),
        charge("azure", 2, "2.25", Tags=None, ChargeClass="Correction"),
        charge("gcp", 3, "0.0000000417"),
        charge("aws", 4, "-0.35", ChargeCategory="Credit"),
    ]


def test_csv_with_null_text_json_tags_mixed_providers_and_odd_quoting(tmp_path):
    plain = write_csv(tmp_path / "mixed.csv", mixed_rows())
    quoted_gz = write_csv(tmp_path / "mixed.csv.gz", mixed_rows(), quote_all=True, gz=True)

    frame = read_delivery(Delivery(str(plain)))
    from_gz = read_delivery(Delivery(str(quoted_gz)))

    assert frame.drop(SOURCE_URI).equals(from_gz.drop(SOURCE_URI))
    assert frame.get_column("BilledCost").to_list() == [
        Decimal("1.1"),
        Decimal("2.25"),
        Decimal("0.0000000417"),
        Decimal("-0.35"),
    ]
    assert frame.get_column("ChargeDescription")[0] == ODD_DESCRIPTION
    assert frame.get_column("ChargeClass").to_list() == [None, "Correction", None, None]
    assert frame.get_column("Tags").to_list() == [
        '{"team": "payments", "env": "prod"}',
        None,
        '{"team": "payments", "env": "prod"}',
        '{"team": "payments", "env": "prod"}',
    ]
    assert frame.get_column("ChargePeriodStart")[0] == datetime(2024, 1, 1, tzinfo=UTC)
    assert frame.get_column("provider").to_list() == ["aws", "azure", "gcp", "aws"]
    assert frame.get_column(SOURCE_ROW).to_list() == [1, 2, 3, 4]
    assert frame.get_column(UNPARSED).null_count() == 4
    assert frame.get_column(ABSENT)[0].startswith("AvailabilityZone, ")  # optional columns these files lack

    slices = {key: rows.get_column(SOURCE_ROW).to_list() for key, rows in split_slices(frame)}
    january = date(2024, 1, 1)
    assert slices == {
        SliceKey("aws", AWS_ACCOUNT, january): [1, 4],
        SliceKey("azure", AZURE_ACCOUNT, january): [2],
        SliceKey("gcp", GCP_ACCOUNT, january): [3],
    }


def test_parquet_typed_like_an_aws_export(tmp_path):
    path = write_aws_parquet(
        tmp_path / "aws.parquet",
        [
            charge("aws", 1, "0.1", x_ServiceCode="AmazonEC2"),
            charge("aws", 2, "0.2", x_ServiceCode="AmazonS3"),
        ],
    )

    frame = read_delivery(Delivery(str(path)))

    assert frame.get_column("BilledCost").to_list() == [Decimal("0.1"), Decimal("0.2")]  # doubles, exactly
    assert frame.get_column("BilledCost").sum() == Decimal("0.3")
    assert frame.get_column("ChargePeriodEnd").to_list() == [
        datetime(2024, 1, 2, tzinfo=UTC),
        datetime(2024, 1, 3, tzinfo=UTC),
    ]
    assert [json.loads(t) for t in frame.get_column("Tags")] == [{"team": "payments", "env": "prod"}] * 2
    assert frame.get_column("extensions").to_list() == [
        '{"x_ServiceCode":"AmazonEC2"}',
        '{"x_ServiceCode":"AmazonS3"}',
    ]
    assert frame.get_column(UNPARSED).null_count() == 2


def test_timestamps_in_the_formats_exports_use_mean_the_same_instant():
    texts = [
        "2024-01-05T00:00:00Z",
        "2024-01-05T00:00Z",
        "2024-01-05 00:00:00.000",
        "2024-01-05T01:00:00+01:00",
        "2024-01-05",
        "2024-01-05T00:00:00.000Z",
    ]
    frame = conform(pl.DataFrame({"ChargePeriodStart": texts}), source_uri="formats.csv")

    assert frame.get_column("ChargePeriodStart").to_list() == [datetime(2024, 1, 5, tzinfo=UTC)] * len(texts)


def test_values_that_do_not_parse_are_named_with_their_text(tmp_path):
    path = write_csv(
        tmp_path / "bad-values.csv",
        [
            charge(BilledCost="1,5"),
            charge(day=2, ChargePeriodStart="yesterday", Tags="{not json"),
            charge(day=3),
        ],
    )

    frame = read_delivery(Delivery(str(path)))

    assert frame.get_column(UNPARSED).to_list() == [
        "BilledCost='1,5'",
        "ChargePeriodStart='yesterday'; Tags='{not json'",
        None,
    ]
    assert frame.get_column("BilledCost").to_list() == [None, Decimal("1.00"), Decimal("1.00")]


def test_line_item_id_is_the_source_id_or_the_row_content():
    rows = [charge(day=1), charge(day=1), charge(day=2)]
    content = conform(pl.DataFrame(rows), source_uri="a.csv").get_column("line_item_id").to_list()
    given = conform(
        pl.DataFrame(rows).with_columns(x_LineItemId=pl.Series(["a", None, "c"])), source_uri="b.csv"
    )

    assert content[0] == content[1] != content[2]  # identical rows are the same line item
    assert given.get_column("line_item_id").to_list() == ["a", content[1], "c"]
    assert "x_LineItemId" not in (given.get_column("extensions")[0] or "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("BilledCost,ChargeCategory\n1,Usage,extra\n", "cannot read: ComputeError"),
        ("name,value\na,1\n", "not a FOCUS file: none of its columns is a FOCUS column"),
    ],
)
def test_unreadable_files_are_named(tmp_path, text, reason):
    path = tmp_path / "broken.csv"
    path.write_text(text)

    with pytest.raises(UnreadableFile) as raised:
        read_delivery(Delivery(str(path)))

    assert raised.value.uri == str(path)
    assert raised.value.reason.startswith(reason)


def test_a_byte_order_mark_and_column_names_in_another_case(tmp_path):
    path = write_csv(tmp_path / "azure.csv", [charge("azure", 1, "2.50")])
    header, rest = path.read_bytes().split(b"\r\n", 1)
    path.write_bytes(b"\xef\xbb\xbf" + header.replace(b"BilledCost", b"billedcost") + b"\r\n" + rest)

    frame = read_delivery(Delivery(str(path)))

    assert frame.get_column("BilledCost").to_list() == [Decimal("2.50")]
    assert frame.get_column("BillingAccountId").to_list() == [AZURE_ACCOUNT]
    assert "BilledCost" not in frame.get_column(ABSENT)[0].split(", ")
