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

Each violation has a severity. ``error`` refuses the slice: every broken period order, second currency and
duplicate line item, and the other rules when they concern an ``ESSENTIAL`` column (an amount, its currency,
account, period bounds, provider, charge category or service). On any other column the rule is a
``warning``: the slice loads (an unparseable value as null) and the warning is recorded with it. An allowed
value in another letter case was given its canonical spelling by ``conform`` and is reported as
``normalised``.

The checks run on a pandas view of the slice holding only the columns they need; decimals are viewed as floats
there, which is enough to tell null from not null and never reaches the warehouse. An ingestion validates
consecutive slices together (``validate_slices``), and each alone only when they break a rule.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import polars as pl

from assets.billing.conform import ABSENT, NORMALISED, SOURCE_ROW, SOURCE_URI, UNPARSED
from assets.billing.focus import ESSENTIAL
from cloudforge.focus import BY_NAME, COLUMNS

EXAMPLES = 5
# Rows validated together at most (validate_slices): the checks keep ahead of the slices' COPY (a larger group keeps
# its first slice waiting), and their pandas copy stays small.
GROUP_ROWS = 200_000
CHECKED = [c for c in COLUMNS if c.mandatory or not c.nullable or c.allowed]  # the columns the rules read
CONTEXT_COLUMNS = ("ChargePeriodStart", "ServiceName", "ResourceId", "BilledCost")
# The unparsed values of essential columns, and of the others ("BilledCost='1,5'; Tags='{'" in UNPARSED).
UNPARSED_ESSENTIAL, UNPARSED_OTHER = "_unparsed_essential", "_unparsed_other"
ESSENTIAL_ENTRY = "(?:^|; )(?:" + "|".join(sorted(ESSENTIAL)) + ")='"

Severity = Literal["error", "warning", "normalised"]


@dataclass(frozen=True)
class Violation:
    """One broken rule in one slice: what, where (files, records), how many rows, and how bad."""

    rule: str
    reason: str
    failing_rows: int
    examples: list[dict[str, Any]] = field(default_factory=list)  # {"file", "record", <columns>...}
    severity: Severity = "error"
    column: str | None = None  # the FOCUS column the rule broke on, if one

    @property
    def files(self) -> list[str]:
        return sorted({e["file"] for e in self.examples})

    def as_warning(self) -> dict[str, Any]:
        """The violation as raw_billing.load_log.warnings records it."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "column": self.column,
            "rows": self.failing_rows,
            "reason": self.reason,
            "files": self.files,
            "examples": self.examples,
        }

    def message(self) -> str:
        """Rule, files, reason, then example rows: 'jan.csv record 2: {"ChargeCategory": "Usagee", ...}'."""
        verdict = "failed" if self.severity == "error" else f"({self.severity})"
        text = f"rule {self.rule} {verdict} in {', '.join(self.files)}: {self.reason}"
        rows = [
            f"{e['file']} record {e['record']}: "
            + json.dumps({k: v for k, v in e.items() if k not in ("file", "record")}, default=str)
            for e in self.examples
            if e.get("record") is not None
        ]
        return f"{text}. Examples: {'; '.join(rows)}" if rows else text


def validate_slice(frame: pl.DataFrame) -> list[Violation]:
    """The rules a conformed slice breaks, errors and warnings; it may be loaded when none is an error."""
    view_columns = _view_columns(frame)
    result = _validate(_view(frame, view_columns), view_columns)
    violations = _normalised(frame)
    for r in result.results:
        if r.success:
            continue
        meta = r.expectation_config.meta
        if meta["rule"] == "column_present":
            missing = r.result["details"]["mismatched"]["missing"]
            violations += [_missing(frame, column, meta["severity"]) for column in missing]
        else:
            violations.append(_violation(frame, meta, r.result))
    return _in_order(violations)


def _in_order(violations: list[Violation]) -> list[Violation]:
    return sorted(violations, key=lambda v: (v.rule, v.reason))


def validate_slices(frames: Iterable[pl.DataFrame]) -> Iterator[list[Violation]]:
    """What validate_slice gives for each of the slices, in their order, validating consecutive slices together.

    great-expectations spends about 0.2 s setting up each validation, whatever its rows: a third of a 1,000,000-row
    ingestion's CPU in 24 slices, and an estate of many small billing accounts pays it for every one. So
    consecutive slices that read the same columns and hold the same currencies are validated as one, up to
    ``GROUP_ROWS`` rows. Each rule is a row's (or the columns present, or the count of currencies, the same in each
    of them), so when the group breaks none neither does any of its slices, whose results are then their
    normalised values alone; when it breaks one (a slice's error or warning, or a line item id repeated across
    slices), each slice is validated alone, to say which and where.
    """
    group: list[pl.DataFrame] = []
    group_key, group_rows = None, 0
    for frame in frames:
        key = _group_key(frame)
        if group and (group_rows >= GROUP_ROWS or key != group_key):
            yield from _validate_group(group)
            group, group_rows = [], 0
        group.append(frame)
        group_key, group_rows = key, group_rows + frame.height
    if group:
        yield from _validate_group(group)


def _validate_group(frames: list[pl.DataFrame]) -> Iterator[list[Violation]]:
    view_columns = _view_columns(frames[0])
    if len(frames) > 1:
        combined = pl.concat([_view(f, view_columns) for f in frames])
        if all(r.success for r in _validate(combined, view_columns).results):
            for frame in frames:
                yield _in_order(_normalised(frame))
            return
    for frame in frames:
        yield validate_slice(frame)


def _group_key(frame: pl.DataFrame) -> tuple:
    """Slices validated together check the same columns, of the same types, and hold the same currencies."""
    currencies = frame.get_column("BillingCurrency").drop_nulls().unique().sort().to_list()
    return tuple((name, frame.schema[name]) for name in _view_columns(frame)), tuple(currencies)


def _view_columns(frame: pl.DataFrame) -> list[str]:
    """The columns the rules read: those checked that every file of the slice has, and the line item id."""
    absent = _absent_columns(frame)
    return [c.name for c in CHECKED if c.name not in absent] + ["line_item_id"]


def _view(frame: pl.DataFrame, view_columns: list[str]) -> pl.DataFrame:
    """The columns the rules read, decimals as floats, the unparsed values split into essential and other."""
    essential = pl.col(UNPARSED).str.contains(ESSENTIAL_ENTRY)
    return frame.select(
        *(
            pl.col(name).cast(pl.Float64) if frame.schema[name].is_decimal() else pl.col(name)
            for name in view_columns
        ),
        pl.when(essential).then(pl.col(UNPARSED)).alias(UNPARSED_ESSENTIAL),
        pl.when(~essential).then(pl.col(UNPARSED)).alias(UNPARSED_OTHER),
    )


def _validate(view: pl.DataFrame, view_columns: list[str]):
    """great-expectations' result of the suite on a pandas copy of the view."""
    return (
        _batch_definition()
        .get_batch(batch_parameters={"dataframe": view.to_pandas()})
        .validate(
            _suite(present=set(view_columns)),
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES},
        )
    )


def _suite(present: set[str]):
    import great_expectations as gx

    e = gx.expectations
    expectations = [
        e.ExpectTableColumnsToMatchSet(
            column_set=[c.name for c in COLUMNS if c.mandatory and _severity(c.name) == severity],
            exact_match=False,
            meta=_meta("column_present", severity=severity),
        )
        for severity in ("error", "warning")
    ] + [
        e.ExpectColumnValuesToBeNull(column=UNPARSED_ESSENTIAL, meta=_meta("typed", UNPARSED_ESSENTIAL)),
        e.ExpectColumnValuesToBeNull(
            column=UNPARSED_OTHER, meta=_meta("typed", UNPARSED_OTHER, severity="warning")
        ),
    ]
    for c in COLUMNS:
        if c.name not in present:
            continue
        if not c.nullable:
            expectations.append(
                e.ExpectColumnValuesToNotBeNull(
                    column=c.name, meta=_meta("not_null", c.name, severity=_severity(c.name))
                )
            )
        if c.allowed:
            expectations.append(
                e.ExpectColumnValuesToBeInSet(
                    column=c.name,
                    value_set=list(c.allowed),
                    meta=_meta("allowed_values", c.name, severity=_severity(c.name)),
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


def _meta(rule: str, *columns: str, severity: Severity = "error") -> dict[str, Any]:
    return {"rule": rule, "columns": list(columns), "severity": severity}


def _severity(column: str) -> Severity:
    return "error" if column in ESSENTIAL else "warning"


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


def _normalised(frame: pl.DataFrame) -> list[Violation]:
    """Per column, the rows whose value conform gave its canonical spelling."""
    violations = []
    for c in COLUMNS:
        if not c.allowed:
            continue
        rows = frame.filter(pl.col(NORMALISED).str.contains(f"(?:^|; ){c.name}='"))
        if rows.is_empty():
            continue
        given = sorted(set(rows.get_column(c.name).to_list()))
        reason = f"{c.name} has {rows.height} row(s) in another letter case, loaded as {given}"
        examples = _examples(rows.head(EXAMPLES), [c.name, NORMALISED])
        violations.append(Violation("allowed_values", reason, rows.height, examples, "normalised", c.name))
    return violations


def _missing(frame: pl.DataFrame, column: str, severity: Severity) -> Violation:
    """A mandatory column missing from some files of the slice: their rows, one example per file."""
    rows = frame.filter(pl.col(ABSENT).str.split(", ").list.contains(column))
    first_of_each_file = rows.unique(SOURCE_URI, keep="first", maintain_order=True)
    reason = f"mandatory column {column} is missing"
    examples = _examples(first_of_each_file, [])
    return Violation("column_present", reason, rows.height, examples, severity, column)


def _violation(frame: pl.DataFrame, meta: dict, result: dict) -> Violation:
    rule, columns, severity = meta["rule"], meta["columns"], meta["severity"]
    column = columns[0]
    if rule == "one_currency":
        currencies = frame.unique("BillingCurrency", keep="first", maintain_order=True)
        found = ", ".join(str(c) for c in currencies.get_column("BillingCurrency").to_list())
        reason = f"billing account has {currencies.height} currencies ({found}), expected one"
        examples = _examples(currencies.head(EXAMPLES), columns)
        return Violation(rule, reason, frame.height, examples, severity, column)
    rows = frame[[int(i) for i in result.get("partial_unexpected_index_list", [])]]
    count = int(result.get("unexpected_count", 0))
    if rule == "typed":
        reason = f"{count} row(s) hold values that do not parse as their column's type"
        if severity == "warning":
            reason += "; loaded as null"
        columns, column = [], None
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
    return Violation(rule, reason, count, _examples(rows, columns), severity, column)


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
