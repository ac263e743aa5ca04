"""Rows rendered in COPY's text format by the caller (``text_field``, ``replace_slices_text``) arrive exactly as
``write_row`` would store them, whatever their characters; the slices are replaced, the others kept."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from psycopg.types.json import Jsonb

from cloudforge.warehouse import connect, create_database, replace_slices, replace_slices_text, text_field
from cloudforge.warehouse.loader import SEND_BUFFER

TABLE = ("public", "texts")
COLUMNS = ["slice", "label", "document", "number"]
# Every character COPY's text format treats apart (backslash, tab, newline, carriage return), the NULL marker as
# data, quotes, an empty string, Unicode, and JSON whose strings hold escapes of their own.
VALUES = [
    ("s", "plain", {"a": 1}, 1),
    ("s", "back\\slash\ttab\nnew\rreturn", {"path": "C:\\dir", "quote": "\"", "line": "a\nb"}, 2),
    ("s", "\\N", {"é": "ü", "tab": "\t"}, None),
    ("t", "", [], 0),
    ("t", None, None, -5),
]


@pytest.fixture
def url(warehouse_url: str) -> str:
    url = create_database(warehouse_url, "text_copy")
    with connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS texts")
        conn.execute("CREATE TABLE texts (slice text, label text, document jsonb, number int)")
        conn.execute("INSERT INTO texts VALUES ('s', 'old', '{}', 9), ('u', 'kept', '{}', 8)")
    return url


def rendered(slice_: str, label: str | None, document: object, number: int | None) -> str:
    fields = (slice_, label, None if document is None else json.dumps(document), number)
    return "\t".join(map(text_field, fields)) + "\n"


def stored(url: str) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute("SELECT slice, label, document, number FROM texts ORDER BY slice, number").fetchall()


def test_text_rows_are_stored_as_write_row_stores_them(url: str) -> None:
    slices = [{"slice": "s"}, {"slice": "t"}]
    with connect(url, autocommit=True) as conn:
        replace_slices_text(conn, TABLE, slices, COLUMNS, ["".join(rendered(*v) for v in VALUES[:3]),
                                                           "".join(rendered(*v) for v in VALUES[3:])])
    by_text = stored(url)
    assert by_text == sorted([*VALUES, ("u", "kept", {}, 8)], key=lambda row: (row[0], row[3] is None, row[3]))

    with connect(url, autocommit=True) as conn:
        replace_slices(conn, TABLE, slices, COLUMNS,
                       [(s, label, None if d is None else Jsonb(d), n) for s, label, d, n in VALUES])
    assert stored(url) == by_text


def test_a_field_escapes_only_what_ends_a_field_or_a_row() -> None:
    assert text_field(None) == "\\N"
    assert text_field("a\\b\tc\nd\re \"'é") == "a\\\\b\\tc\\nd\\re \"'é"
    assert text_field(-3) == "-3"


def test_a_replacement_lets_the_kernel_hold_the_send_buffer(url: str) -> None:
    """The connection's send buffer is raised for the COPY: Linux grants the size asked, capped at wmem_max, and
    reports it doubled (its bookkeeping)."""
    granted = 2 * min(SEND_BUFFER, int(Path("/proc/sys/net/core/wmem_max").read_text()))
    with connect(url, autocommit=True) as conn:
        with socket.socket(fileno=os.dup(conn.pgconn.socket)) as connection:
            before = connection.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        replace_slices_text(conn, TABLE, [{"slice": "s"}], COLUMNS, [rendered(*VALUES[0])])
        with socket.socket(fileno=os.dup(conn.pgconn.socket)) as connection:
            after = connection.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    assert (before < granted, after) == (True, granted)
