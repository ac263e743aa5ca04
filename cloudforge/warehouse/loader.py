"""Bulk loading with COPY, one atomic slice at a time.

A slice is the set of rows one extraction owns, for example (account, region, resource type). Replacing it
in one transaction means readers see either the old rows or the new ones, and a failed extraction, which
never calls this, leaves the previous rows in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import psycopg
from psycopg import sql


def replace_slice(
    conn: psycopg.Connection,
    table: tuple[str, str],
    slice_key: Mapping[str, Any],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Delete the rows of ``table`` matching ``slice_key`` and COPY ``rows`` in, in one transaction.

    ``table`` is (schema, name); ``rows`` are tuples in ``columns`` order. Returns the number of rows loaded.
    """
    target = sql.Identifier(*table)
    where = sql.SQL(" AND ").join(
        sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder()) for column in slice_key
    )
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(target, sql.SQL(", ").join(map(sql.Identifier, columns)))
    loaded = 0
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(sql.SQL("DELETE FROM {} WHERE {}").format(target, where), list(slice_key.values()))
        with cur.copy(copy) as copier:
            for row in rows:
                copier.write_row(row)
                loaded += 1
    return loaded
