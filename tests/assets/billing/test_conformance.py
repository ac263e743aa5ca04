"""Real FOCUS exports deviate from the specification: harmless variants load with a conformance warning per
slice, and only what makes amounts wrong or ambiguous is quarantined (docs/focus.md, "Severity")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
from support.focus_samples import AWS_ACCOUNT, AZURE_ACCOUNT, GCP_ACCOUNT, charge, write_csv

from assets.billing.conform import conform
from assets.billing.loader import ingest_focus_source
from assets.billing.validation import validate_slice

JANUARY = date(2024, 1, 1)


def gate(rows: list[dict], drop: tuple[str, ...] = ()) -> list[tuple]:
    frame = conform(pl.DataFrame(rows).drop(*drop), source_uri="jan.csv")
    return [(v.rule, v.severity, v.column, v.failing_rows, v.reason) for v in validate_slice(frame)]


def totals(conn) -> dict[str, tuple[int, Decimal]]:
    rows = conn.execute(
        "SELECT provider, count(*), sum(billed_cost) FROM raw_billing.focus_charges GROUP BY 1"
    ).fetchall()
    return {provider: (count, billed) for provider, count, billed in rows}


def logged_warnings(conn) -> list[tuple]:
    return conn.execute(
        "SELECT provider, status, w ->> 'rule', w ->> 'severity', w ->> 'column', (w ->> 'rows')::int"
        " FROM raw_billing.load_log, jsonb_array_elements(warnings) w ORDER BY provider, w ->> 'rule', w ->> 'column'"
    ).fetchall()


def test_allowed_values_in_another_letter_case_take_their_canonical_spelling():
    rows = [
        charge(day=1, ChargeCategory="usage", ChargeFrequency="usage-based"),
        charge(day=2, ChargeCategory="USAGE", ServiceCategory="compute"),
        charge(day=3),
    ]

    frame = conform(pl.DataFrame(rows), source_uri="jan.csv")

    assert frame.get_column("ChargeCategory").to_list() == ["Usage"] * 3
    assert frame.get_column("ChargeFrequency").to_list() == ["Usage-Based"] * 3
    assert frame.get_column("ServiceCategory").to_list() == ["Compute"] * 3
    assert gate(rows) == [
        ("allowed_values", "normalised", "ChargeCategory", 2,
         "ChargeCategory has 2 row(s) in another letter case, loaded as ['Usage']"),
        ("allowed_values", "normalised", "ChargeFrequency", 1,
         "ChargeFrequency has 1 row(s) in another letter case, loaded as ['Usage-Based']"),
        ("allowed_values", "normalised", "ServiceCategory", 1,
         "ServiceCategory has 1 row(s) in another letter case, loaded as ['Compute']"),
    ]  # fmt: skip


def test_each_rule_is_an_error_on_an_essential_column_and_a_warning_on_the_others():
    rows = [
        charge(day=1, PublisherName=None, ChargeFrequency="Monthly", ConsumedQuantity="n/a"),
        charge(day=2, InvoiceIssuerName=None, PricingCategory="Spot"),
        charge(day=3, ServiceName=None, ChargeCategory="Refund", EffectiveCost="1,00"),
        charge(day=4, BillingCurrency=None),
    ]

    assert gate(rows, drop=("ChargeDescription",)) == [
        ("allowed_values", "error", "ChargeCategory", 1,
         "ChargeCategory has 1 row(s) outside ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'], e.g. ['Refund']"),
        ("allowed_values", "warning", "ChargeFrequency", 1,
         "ChargeFrequency has 1 row(s) outside ['One-Time', 'Recurring', 'Usage-Based'], e.g. ['Monthly']"),
        ("allowed_values", "warning", "PricingCategory", 1,
         "PricingCategory has 1 row(s) outside ['Standard', 'Dynamic', 'Committed', 'Other'], e.g. ['Spot']"),
        ("column_present", "warning", "ChargeDescription", 4, "mandatory column ChargeDescription is missing"),
        ("not_null", "error", "BillingCurrency", 1, "BillingCurrency is null in 1 row(s)"),
        ("not_null", "error", "EffectiveCost", 1, "EffectiveCost is null in 1 row(s)"),
        ("not_null", "warning", "InvoiceIssuerName", 1, "InvoiceIssuerName is null in 1 row(s)"),
        ("not_null", "warning", "PublisherName", 1, "PublisherName is null in 1 row(s)"),
        ("not_null", "error", "ServiceName", 1, "ServiceName is null in 1 row(s)"),
        ("typed", "error", None, 1, "1 row(s) hold values that do not parse as their column's type"),
        ("typed", "warning", None, 1,
         "1 row(s) hold values that do not parse as their column's type; loaded as null"),
    ]  # fmt: skip


def test_variants_of_real_exports_load_with_warnings_and_exact_sums(billing_db, tmp_path):
    write_csv(  # allowed values in another letter case
        tmp_path / "aws.csv",
        [
            charge("aws", 1, "10.10", ChargeCategory="usage", ChargeFrequency="usage-based"),
            charge("aws", 2, "0.90", ChargeCategory="USAGE"),
            charge("aws", 3, "-1.00", ChargeCategory="credit", BilledCost="-1.00"),
        ],
    )
    write_csv(  # a Mandatory column null where it carries no money, another one missing, an extra column
        tmp_path / "azure.csv",
        [
            charge("azure", 1, "5.00", PublisherName=None, CostCenter="cc-17"),
            charge("azure", 2, "2.50", PublisherName=None, CostCenter="cc-17"),
        ],
    )
    frame = pl.read_csv(tmp_path / "azure.csv", infer_schema=False).drop("PricingUnit")
    frame.write_csv(tmp_path / "azure.csv")
    write_csv(  # an optional column missing, a non-money value that does not parse
        tmp_path / "gcp.csv", [charge("gcp", 1, "3.33", ConsumedQuantity="n/a"), charge("gcp", 2, "3.33")]
    )

    report = ingest_focus_source(billing_db, str(tmp_path))

    assert [(str(s.key), s.status, s.rows) for s in report.slices] == [
        (f"aws/{AWS_ACCOUNT}/2024-01", "loaded", 3),
        (f"azure/{AZURE_ACCOUNT}/2024-01", "loaded", 2),
        (f"gcp/{GCP_ACCOUNT}/2024-01", "loaded", 2),
    ]
    assert report.refused == []
    assert totals(billing_db) == {
        "aws": (3, Decimal("10.00")),
        "azure": (2, Decimal("7.50")),
        "gcp": (2, Decimal("6.66")),
    }
    assert billing_db.execute(
        "SELECT charge_category, charge_frequency, count(*) FROM raw_billing.focus_charges"
        " WHERE provider = 'aws' GROUP BY 1, 2 ORDER BY 1"
    ).fetchall() == [("Credit", "Usage-Based", 1), ("Usage", "Usage-Based", 2)]
    assert billing_db.execute(
        "SELECT count(*) FILTER (WHERE publisher_name IS NULL), count(*) FILTER (WHERE pricing_unit IS NULL),"
        " min(extensions ->> 'CostCenter') FROM raw_billing.focus_charges WHERE provider = 'azure'"
    ).fetchone() == (2, 2, "cc-17")
    assert billing_db.execute(
        "SELECT count(*) FILTER (WHERE consumed_quantity IS NULL) FROM raw_billing.focus_charges"
        " WHERE provider = 'gcp'"
    ).fetchone() == (2,)
    assert logged_warnings(billing_db) == [
        ("aws", "loaded", "allowed_values", "normalised", "ChargeCategory", 3),
        ("aws", "loaded", "allowed_values", "normalised", "ChargeFrequency", 1),
        ("azure", "loaded", "column_present", "warning", "PricingUnit", 2),
        ("azure", "loaded", "not_null", "warning", "PublisherName", 2),
        ("gcp", "loaded", "typed", "warning", None, 1),
    ]
    examples = billing_db.execute(
        "SELECT w -> 'examples' -> 0 FROM raw_billing.load_log, jsonb_array_elements(warnings) w"
        " WHERE provider = 'gcp'"
    ).fetchone()[0]
    assert (examples["file"], examples["record"], examples["_unparsed"]) == (
        str(tmp_path / "gcp.csv"), 1, "ConsumedQuantity='n/a'"
    )


def test_only_what_makes_amounts_wrong_or_ambiguous_is_quarantined(billing_db, tmp_path):
    good = tmp_path / "good"
    write_csv(good / "aws.csv", [charge("aws", d, "2.00") for d in (1, 2)])
    write_csv(good / "azure.csv", [charge("azure", 1, "3.00")])
    write_csv(good / "gcp.csv", [charge("gcp", 1, "4.00")])
    ingest_focus_source(billing_db, str(good))
    bad = tmp_path / "bad"
    write_csv(bad / "aws.csv", [charge("aws", 1, "5.00"), charge("aws", 2, "5.00", BilledCost=None)])  # no cost
    write_csv(bad / "azure.csv", [charge("azure", 1, "6.00"), charge("azure", 2, "6.00", BillingCurrency="USD")])
    write_csv(bad / "gcp.csv", [charge("gcp", 1, "7.00"), charge("gcp", 1, "7.00")])  # one charge twice
    write_csv(bad / "gcp-february.csv", [charge("gcp", 1, "8.00", month=2, ChargeCategory="usage")])  # fine

    report = ingest_focus_source(billing_db, str(bad))

    assert [(str(s.key), s.status, [v.rule for v in s.violations]) for s in report.slices] == [
        (f"aws/{AWS_ACCOUNT}/2024-01", "quarantined", ["not_null"]),
        (f"azure/{AZURE_ACCOUNT}/2024-01", "quarantined", ["one_currency"]),
        (f"gcp/{GCP_ACCOUNT}/2024-01", "quarantined", ["unique_line_item_id"]),
        (f"gcp/{GCP_ACCOUNT}/2024-02", "loaded", []),
    ]
    assert totals(billing_db) == {  # January as it was; February new
        "aws": (2, Decimal("4.00")),
        "azure": (1, Decimal("3.00")),
        "gcp": (2, Decimal("12.00")),
    }
    assert billing_db.execute(
        "SELECT rule, failing_rows FROM raw_billing.quarantine ORDER BY rule"
    ).fetchall() == [("not_null", 1), ("one_currency", 2), ("unique_line_item_id", 2)]
