"""The validation gate: great-expectations checks every FOCUS slice before it may replace the loaded one.

Rules (the ``rule`` names stored in raw_billing.quarantine):

- ``column_present``: every FOCUS 1.0 Mandatory column is in every file of the slice;
- ``typed``: every present value is of its column's type (decimal, datetime, JSON object);
- ``not_null``: columns that may not be null have a value in every row;
- ``allowed_values``: enumerated columns (ChargeCategory, ChargeFrequency, ChargeClass, ...) hold allowed
  values;
- ``charge_period_order`` / ``billing_period_order``: ChargePeriodEnd > ChargePeriodStart, and the same for
  the billing period;
- ``one_currency``: one BillingCurrency per billing account (a slice is one account and one period);
- ``unique_line_item_id``: no line item twice (see ``conform.line_item_ids`` for what the id is).

The checks run on a pandas view of the slice holding only the columns they need; decimals are viewed as floats
there, which is enough to tell null from not null and never reaches the warehouse.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl

from assets.billing.conform import ABSENT, SOURCE_ROW, SOURCE_URI, UNPARSED
from assets.billing.focus import BY_NAME, COLUMNS

EXAMPLES = 5
CHECKED = [c for c in COLUMNS if c.mandatory or not c.nullable or c.allowed]  # the columns the rules read
CONTEXT_COLUMNS = ("ChargePeriodStart", "ServiceName", "ResourceId", "BilledCost")


@dataclass(frozen=True)
class Violation:
    """One broken rule in one slice: what, where (files, records) and how many rows."""

    rule: str
    reason: str
    failing_rows: int
    examples: list[dict[str, Any]] = field(default_factory=list)  # {"file", "record", <columns>...}

    @property
    def files(self) -> list[str]:
        return sorted({e["file"] for e in self.examples})

    def message(self) -> str:
        """Rule, files, reason, then example rows: 'jan.csv record 2: {"ChargeCategory": "Usagee", ...}'."""
        text = f"rule {self.rule} failed in {', '.join(self.files)}: {self.reason}"
        rows = [
            f"{e['file']} record {e['record']}: "
            + json.dumps({k: v for k, v in e.items() if k not in ("file", "record")}, default=str)
            for e in self.examples
            if e.get("record") is not None
        ]
        return f"{text}. Examples: {'; '.join(rows)}" if rows else text


def validate_slice(frame: pl.DataFrame) -> list[Violation]:
    """The rules a conformed slice breaks; empty when it may be loaded."""
    absent = _absent_columns(frame)
    view_columns = [c.name for c in CHECKED if c.name not in absent] + ["line_item_id", UNPARSED]
    view = frame.select(
        pl.col(name).cast(pl.Float64) if frame.schema[name].is_decimal() else pl.col(name)
        for name in view_columns
    ).to_pandas()
    suite = _suite(present=set(view_columns))
    result = (
        _batch_definition()
        .get_batch(batch_parameters={"dataframe": view})
        .validate(suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES})
    )
    violations = []
    for r in result.results:
        if r.success:
            continue
        if r.expectation_config.meta["rule"] == "column_present":
            violations += [_missing(frame, column) for column in r.result["details"]["mismatched"]["missing"]]
        else:
            violations.append(_violation(frame, r.expectation_config.meta, r.result))
    return sorted(violations, key=lambda v: (v.rule, v.reason))


def _suite(present: set[str]):
    import great_expectations as gx

    e = gx.expectations
    mandatory = [c.name for c in COLUMNS if c.mandatory]
    expectations = [
        e.ExpectTableColumnsToMatchSet(column_set=mandatory, exact_match=False, meta=_meta("column_present")),
        e.ExpectColumnValuesToBeNull(column=UNPARSED, meta=_meta("typed", UNPARSED)),
    ]
    for c in COLUMNS:
        if c.name not in present:
            continue
        if not c.nullable:
            expectations.append(
                e.ExpectColumnValuesToNotBeNull(column=c.name, meta=_meta("not_null", c.name))
            )
        if c.allowed:
            expectations.append(
                e.ExpectColumnValuesToBeInSet(
                    column=c.name, value_set=list(c.allowed), meta=_meta("allowed_values", c.name)
                )
            )
    for rule, end, start in (
        ("charge_period_order", "ChargePeriodEnd", "ChargePeriodStart"),
        ("billing_period_order", "BillingPeriodEnd", "BillingPeriodStart"),
    ):
        if {end, start} <= present:
            expectations.append(
                e.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=end,
                    column_B=start,
                    ignore_row_if="either_value_is_missing",
                    meta=_meta(rule, end, start),
                )
            )
    if "BillingCurrency" in present:
        expectations.append(
            e.ExpectColumnUniqueValueCountToBeBetween(
                column="BillingCurrency", max_value=1, meta=_meta("one_currency", "BillingCurrency")
            )
        )
    expectations.append(
        e.ExpectColumnValuesToBeUnique(
            column="line_item_id", meta=_meta("unique_line_item_id", "line_item_id")
        )
    )
    return gx.ExpectationSuite(name="focus_slice", expectations=expectations)


def _meta(rule: str, *columns: str) -> dict[str, Any]:
    return {"rule": rule, "columns": list(columns)}


@functools.cache
def _batch_definition():
    """One in-memory great-expectations context per process (its import takes seconds: done on first use)."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # it logs its own set-up at INFO
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    context = gx.get_context(
        mode="ephemeral",
        project_config=DataContextConfig(
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
            store_backend_defaults=InMemoryStoreBackendDefaults(),
        ),
    )
    asset = context.data_sources.add_pandas("focus").add_dataframe_asset("focus_slice")
    return asset.add_batch_definition_whole_dataframe("whole_slice")


def _missing(frame: pl.DataFrame, column: str) -> Violation:
    """A mandatory column missing from some files of the slice: their rows, one example per file."""
    rows = frame.filter(pl.col(ABSENT).str.split(", ").list.contains(column))
    first_of_each_file = rows.unique(SOURCE_URI, keep="first", maintain_order=True)
    reason = f"mandatory column {column} is missing"
    return Violation("column_present", reason, rows.height, _examples(first_of_each_file, []))


def _violation(frame: pl.DataFrame, meta: dict, result: dict) -> Violation:
    rule, columns = meta["rule"], meta["columns"]
    column = columns[0]
    if rule == "one_currency":
        currencies = frame.unique("BillingCurrency", keep="first", maintain_order=True)
        found = ", ".join(str(c) for c in currencies.get_column("BillingCurrency").to_list())
        reason = f"billing account has {currencies.height} currencies ({found}), expected one"
        return Violation(rule, reason, frame.height, _examples(currencies.head(EXAMPLES), columns))
    rows = frame[[int(i) for i in result.get("partial_unexpected_index_list", [])]]
    count = int(result.get("unexpected_count", 0))
    if rule == "typed":
        reason = f"{count} row(s) hold values that do not parse as their column's type"
        columns = []
    elif rule == "not_null":
        reason = f"{column} is null in {count} row(s)"
    elif rule == "allowed_values":
        allowed = BY_NAME[column].allowed
        found = sorted({str(v) for v in result.get("partial_unexpected_list", [])})
        reason = f"{column} has {count} row(s) outside {list(allowed)}, e.g. {found}"
    elif rule.endswith("_order"):
        reason = f"{count} row(s) where {columns[0]} is not after {columns[1]}"
    else:
        reason = (
            f"{count} row(s) share a line item id with another row (identical rows or repeated x_LineItemId)"
        )
    return Violation(rule, reason, count, _examples(rows, columns))


def _examples(rows: pl.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    shown = [c for c in (*columns, UNPARSED, *CONTEXT_COLUMNS) if c in rows.columns]
    picked = rows.select(
        pl.col(SOURCE_URI).alias("file"), pl.col(SOURCE_ROW).alias("record"), *dict.fromkeys(shown)
    )
    return [
        {k: _plain(v) for k, v in row.items() if v is not None or k in columns} for row in picked.to_dicts()
    ]


def _plain(value: Any) -> Any:
    """JSON-friendly example values: decimals and datetimes as text."""
    if isinstance(value, (Decimal, datetime, date)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def _absent_columns(frame: pl.DataFrame) -> set[str]:
    absent = frame.get_column(ABSENT).drop_nulls().unique().to_list()
    return {name for names in absent for name in names.split(", ")}
