"""CSV downloads that are safe to open in a spreadsheet.

Team, project and resource names come from tags anyone can write; a cell such as ``=HYPERLINK(...)`` would run as
a formula in Excel or Sheets (CSV injection). Following OWASP's guidance, a text cell beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe, and every text cell is quoted with its quotes
doubled. Numbers are written as numbers (exact decimals as they are), so a negative amount stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """A text value a spreadsheet would read as a formula, made plain text; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> bytes:
    """``frame`` as CSV (UTF-8 with a byte order mark, so Excel reads accents), text escaped and quoted.

    ``columns`` picks and orders the columns to write and names their headers (default: all, as named).
    """
    columns = columns or {column: column for column in frame.columns}
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(map(escape_cell, columns.values()))
    writer.writerows(_escaped(frame[list(columns)].itertuples(index=False, name=None)))
    return buffer.getvalue().encode("utf-8-sig")


def _escaped(rows: Iterable[tuple]) -> Iterable[list[object]]:
    for row in rows:
        yield [None if pd.isna(value) else escape_cell(value) for value in row]
