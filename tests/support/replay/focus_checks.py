"""What every SDK adapter's FOCUS frame must pass: the FOCUS 1.0 shape, and a load through the real gate."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from cloudforge.focus import COLUMNS, DTYPES
from assets.billing.focus_files import SliceKey
from assets.billing.loader import load_focus_slice
from cloudforge.warehouse import connect


def assert_focus_1_0_columns(frame: pl.DataFrame) -> None:
    """Every FOCUS 1.0 column present with its type; those that may not be null have a value in every row."""
    for column in COLUMNS:
        if column.since == "1.0":
            assert frame.schema.get(column.name) == DTYPES[column.kind], column.name
        if column.mandatory and not column.nullable:
            assert frame[column.name].null_count() == 0, column.name


def load_totals(
    warehouse_url: str, frame: pl.DataFrame, *, source_uri: str
) -> tuple[SliceKey, str, int, Decimal, Decimal, Decimal]:
    """Load ``frame`` as one slice through the validation gate into raw_billing.

    Returns the slice key and load status, then, as stored, the slice's row count and its billed, effective
    and list cost sums.
    """
    with connect(warehouse_url, autocommit=True) as conn:
        result = load_focus_slice(conn, frame, source_uri=source_uri)
        assert result.violations == [], [v.message() for v in result.violations]
        count, billed, effective, listed = conn.execute(
            "SELECT count(*), sum(billed_cost), sum(effective_cost), sum(list_cost)"
            " FROM raw_billing.focus_charges WHERE provider = %(provider)s"
            " AND billing_account_id = %(billing_account_id)s AND billing_period = %(billing_period)s",
            result.key.as_dict(),
        ).fetchone()
    return result.key, result.status, count, billed, effective, listed
