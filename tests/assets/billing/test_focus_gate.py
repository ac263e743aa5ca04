"""The great-expectations gate: each rule, what it reports, and where (no database needed)."""

from __future__ import annotations

import polars as pl
from support.focus_samples import charge

from assets.billing import validation
from assets.billing.conform import conform
from assets.billing.validation import validate_slice, validate_slices


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


def count_validations(monkeypatch) -> list[int]:
    """The rows of each great-expectations validation run from now on (the real one, counted)."""
    rows, validate = [], validation._validate

    def counted(view: pl.DataFrame, columns: list[str]):
        rows.append(view.height)
        return validate(view, columns)

    monkeypatch.setattr(validation, "_validate", counted)
    return rows


def test_slices_are_validated_together_and_each_gets_the_verdict_it_gets_alone(monkeypatch):
    months = [slice_of([charge(day=d, month=m) for d in (1, 2, 3)], f"{m}.csv") for m in (1, 2, 3)]
    alone = [validate_slice(f) for f in months]
    validations = count_validations(monkeypatch)

    assert list(validate_slices(months)) == alone == [[], [], []]
    assert validations == [9]  # one validation of the three slices' rows


def test_a_group_breaking_a_rule_is_validated_slice_by_slice_to_say_which(monkeypatch):
    frames = [
        slice_of([charge(day=1, month=1), charge(day=2, month=1)], "1.csv"),
        slice_of([charge(day=1, month=2), charge(day=2, month=2, ChargeCategory="Usagee")], "2.csv"),
        slice_of([charge(day=1, month=3, ChargeCategory="usage")], "3.csv"),  # normalised: a warning
    ]
    alone = [validate_slice(f) for f in frames]
    validations = count_validations(monkeypatch)

    found = list(validate_slices(frames))

    assert found == alone
    assert [[(v.rule, v.severity, v.files) for v in violations] for violations in found] == [
        [],
        [("allowed_values", "error", ["2.csv"])],
        [("allowed_values", "normalised", ["3.csv"])],
    ]
    assert validations == [5, 2, 2, 1]  # together, then each alone


def test_a_line_item_id_repeated_in_two_slices_refuses_neither():
    frames = [slice_of([charge(day=1, month=m, x_LineItemId="line-1")], f"{m}.csv") for m in (1, 2)]

    assert list(validate_slices(frames)) == [[], []]


def test_slices_of_other_currencies_are_validated_apart(monkeypatch):
    frames = [
        slice_of([charge("aws", day=1)], "aws.csv"),
        slice_of([charge("azure", day=1)], "azure.csv"),  # EUR
        slice_of([charge("gcp", day=1), charge("gcp", day=2)], "gcp.csv"),
    ]
    validations = count_validations(monkeypatch)

    assert list(validate_slices(frames)) == [[], [], []]
    assert validations == [1, 1, 2]  # aws alone (USD, then EUR), azure alone, gcp (USD again, after azure)
