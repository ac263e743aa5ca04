"""The great-expectations gate: each rule, what it reports, and where (no database needed)."""

from __future__ import annotations

import polars as pl
from support.focus_samples import charge

from assets.billing.conform import conform
from assets.billing.validation import validate_slice


def slice_of(rows: list[dict], uri: str = "january.csv") -> pl.DataFrame:
    return conform(pl.DataFrame(rows), source_uri=uri)


def summary(rows: list[dict]) -> list[tuple[str, str, int, list[int]]]:
    """(rule, reason, failing rows, example records) of every violation."""
    return [
        (v.rule, v.reason, v.failing_rows, [e["record"] for e in v.examples])
        for v in validate_slice(slice_of(rows))
    ]


def test_a_well_formed_slice_passes():
    rows = [charge(day=d, cost=f"{d}.25") for d in range(1, 6)] + [
        charge(day=1, ChargeCategory="Tax", cost="0.5")
    ]

    assert validate_slice(slice_of(rows)) == []


def test_each_broken_rule_is_reported_with_its_rows():
    rows = [
        charge(day=1),
        charge(day=2, ChargeCategory="Usagee"),
        charge(day=3, ChargePeriodEnd="2024-01-02T00:00:00Z"),  # ends before it starts
        charge(day=4, ChargeFrequency="Monthly", ServiceName=None),
        charge(day=5, BilledCost="12,50"),
        charge(day=1),  # the same charge as the first row, delivered twice
    ]

    assert summary(rows) == [
        (
            "allowed_values",
            "ChargeCategory has 1 row(s) outside ['Usage', 'Purchase', 'Tax', 'Credit', "
            "'Adjustment'], e.g. ['Usagee']",
            1,
            [2],
        ),
        (
            "allowed_values",
            "ChargeFrequency has 1 row(s) outside ['One-Time', 'Recurring', 'Usage-Based'], e.g. ['Monthly']",
            1,
            [4],
        ),
        ("charge_period_order", "1 row(s) where ChargePeriodEnd is not after ChargePeriodStart", 1, [3]),
        ("not_null", "BilledCost is null in 1 row(s)", 1, [5]),
        ("not_null", "ServiceName is null in 1 row(s)", 1, [4]),
        ("typed", "1 row(s) hold values that do not parse as their column's type", 1, [5]),
        (
            "unique_line_item_id",
            "2 row(s) share a line item id with another row (identical rows or repeated x_LineItemId)",
            2,
            [1, 6],
        ),
    ]


def test_the_message_names_the_file_the_rule_and_example_rows():
    (violation,) = validate_slice(
        slice_of([charge(day=1), charge(day=2, ChargeCategory="Usagee")], "s3://b/jan.csv")
    )

    assert violation.files == ["s3://b/jan.csv"]
    assert violation.examples == [
        {
            "file": "s3://b/jan.csv",
            "record": 2,
            "ChargeCategory": "Usagee",
            "ChargePeriodStart": "2024-01-02T00:00:00+00:00",
            "ServiceName": "Virtual Machines",
            "ResourceId": "aws-vm-2",
            "BilledCost": "1.0000000000",
        }
    ]
    assert violation.message() == (
        "rule allowed_values failed in s3://b/jan.csv: ChargeCategory has 1 row(s) outside ['Usage', "
        "'Purchase', 'Tax', 'Credit', 'Adjustment'], e.g. ['Usagee']. Examples: s3://b/jan.csv record 2: "
        '{"ChargeCategory": "Usagee", "ChargePeriodStart": "2024-01-02T00:00:00+00:00", '
        '"ServiceName": "Virtual Machines", "ResourceId": "aws-vm-2", "BilledCost": "1.0000000000"}'
    )


def test_a_missing_mandatory_column_and_a_second_currency():
    complete = slice_of([charge(day=1)], "complete.csv")
    partial = conform(
        pl.DataFrame([charge(day=2, BillingCurrency="EUR")]).drop("PublisherName"), source_uri="partial.csv"
    )

    violations = validate_slice(pl.concat([complete, partial]))

    assert [(v.rule, v.reason, v.failing_rows, v.files) for v in violations] == [
        ("column_present", "mandatory column PublisherName is missing", 1, ["partial.csv"]),
        (
            "one_currency",
            "billing account has 2 currencies (USD, EUR), expected one",
            2,
            ["complete.csv", "partial.csv"],
        ),
    ]
