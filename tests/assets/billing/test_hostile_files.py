"""Hostile billing files beside a good one: each is named with its rule, the good file still loads, and nothing
already loaded is lost."""

from __future__ import annotations

import gzip
import tracemalloc
from datetime import date
from decimal import Decimal

import pytest
from support.focus_samples import AWS_ACCOUNT, GCP_ACCOUNT, charge, write_csv

from assets.billing.focus_files import ReadOptions
from assets.billing.loader import ingest_focus_source

JANUARY = date(2024, 1, 1)
GOOD_SLICE = (f"gcp/{GCP_ACCOUNT}/2024-01", "loaded", 2)


def good_file(directory):
    return write_csv(directory / "good.csv", [charge("gcp", 1, "4.00"), charge("gcp", 2, "0.50")])


def outcomes(report) -> list[tuple[str, str, int]]:
    return [(str(s.key), s.status, s.rows) for s in report.slices]


def totals(conn) -> list[tuple]:
    return conn.execute(
        "SELECT provider, billing_account_id, billing_period, count(*), sum(billed_cost)"
        " FROM raw_billing.focus_charges GROUP BY 1, 2, 3 ORDER BY 1"
    ).fetchall()


def quarantine(conn) -> list[tuple]:
    return conn.execute("SELECT source_uri, rule, reason FROM raw_billing.quarantine ORDER BY source_uri").fetchall()


def log(conn) -> list[tuple]:
    return conn.execute(
        "SELECT source_uri, status, row_count, jsonb_path_query_array(warnings, '$[*].rule')"
        " FROM raw_billing.load_log ORDER BY source_uri"
    ).fetchall()


def with_header(path, old: bytes, new: bytes):
    header, rest = path.read_bytes().split(b"\r\n", 1)
    path.write_bytes(header.replace(old, new, 1) + b"\r\n" + rest)
    return path


@pytest.mark.parametrize(
    ("second_name", "named"),
    [(b"billedcost", "BilledCost (BilledCost, billedcost)"), (b"BilledCost", "BilledCost (BilledCost, BilledCost)")],
)
def test_a_money_column_named_twice_refuses_the_file_and_the_good_one_loads(billing_db, tmp_path, second_name, named):
    good_file(tmp_path)
    bad = with_header(
        write_csv(tmp_path / "twice.csv", [charge("aws", 1, "3.00", x_Second="7.00")]), b"x_Second", second_name
    )

    report = ingest_focus_source(billing_db, str(tmp_path))

    assert outcomes(report) == [("?/?/?", "quarantined", 0), GOOD_SLICE]
    assert quarantine(billing_db) == [
        (
            str(bad),
            "duplicate_column",
            f"the header names {named} more than once, so which value is the charge's is ambiguous",
        )
    ]
    assert totals(billing_db) == [("gcp", GCP_ACCOUNT, JANUARY, 2, Decimal("4.50"))]
    assert f"rule duplicate_column failed in {bad}" in report.refused[0].message()


def bomb(path, expanded_bytes: int, layers: int = 1):
    """A CSV of one FOCUS row padded with spaces to ``expanded_bytes``, gzipped ``layers`` times."""
    row = write_csv(path, [charge("aws", 1, "1.00")]).read_bytes()
    data = row + b" " * (expanded_bytes - len(row))
    for _ in range(layers):
        data = gzip.compress(data, compresslevel=9)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "layers", "reason"),
    [
        ("bomb.csv.gz", 1, "expands to more than 1,048,576 bytes (billing.max_expanded_bytes)"),
        ("not-named-gz.csv", 1, "expands to more than 1,048,576 bytes (billing.max_expanded_bytes)"),
        ("twice.csv.gz", 2, "compressed data inside compressed data; one layer of gzip is read"),
    ],
)
def test_a_gzip_bomb_is_quarantined_while_it_streams_and_the_good_file_loads(
    billing_db, tmp_path, name, layers, reason
):
    good_file(tmp_path)
    path = bomb(tmp_path / name, 64 * 1024**2, layers)  # 64 MiB expanded, some 64 KiB on disk
    assert path.stat().st_size < 256 * 1024

    tracemalloc.start()
    try:
        report = ingest_focus_source(billing_db, str(tmp_path), options=ReadOptions(max_expanded_bytes=1024**2))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 16 * 1024**2  # never the 64 MiB: expanded a MiB at a time, and stopped past the limit
    rule = "readable" if layers == 2 else "expanded_size"
    assert quarantine(billing_db) == [(str(path), rule, reason)]
    assert outcomes(report)[-1] == GOOD_SLICE
    assert totals(billing_db) == [("gcp", GCP_ACCOUNT, JANUARY, 2, Decimal("4.50"))]


def test_a_file_within_the_limit_expands_and_loads(billing_db, tmp_path):
    write_csv(tmp_path / "aws.csv.gz", [charge("aws", d, "1.25") for d in (1, 2, 3)], gz=True)
    size = len(gzip.decompress((tmp_path / "aws.csv.gz").read_bytes()))

    report = ingest_focus_source(billing_db, str(tmp_path), options=ReadOptions(max_expanded_bytes=size))

    assert outcomes(report) == [(f"aws/{AWS_ACCOUNT}/2024-01", "loaded", 3)]
    assert totals(billing_db) == [("aws", AWS_ACCOUNT, JANUARY, 3, Decimal("3.75"))]


def test_a_header_only_csv_is_recorded_as_skipped(billing_db, tmp_path):
    good_file(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(charge()) + "\r\n")

    report = ingest_focus_source(billing_db, str(tmp_path))

    assert outcomes(report) == [("?/?/?", "skipped", 0), GOOD_SLICE]
    assert log(billing_db) == [
        (str(empty), "skipped", 0, ["empty_file"]),
        (str(tmp_path / "good.csv"), "loaded", 2, []),
    ]
    assert report.refused == []
    assert report.slices[0].message() == (
        f"?/?/?: skipped (0 rows): rule empty_file (warning) in {empty}: no data rows"
    )


def test_a_link_out_of_the_source_is_not_followed_unless_configured(billing_db, tmp_path):
    source, elsewhere = tmp_path / "source", tmp_path / "elsewhere"
    good_file(source)
    outside = write_csv(elsewhere / "aws.csv", [charge("aws", 1, "9.00")])
    (source / "link.csv").symlink_to(outside)

    report = ingest_focus_source(billing_db, str(source))

    assert outcomes(report) == [("?/?/?", "skipped", 0), GOOD_SLICE]
    assert totals(billing_db) == [("gcp", GCP_ACCOUNT, JANUARY, 2, Decimal("4.50"))]
    assert log(billing_db) == [
        (str(source / "good.csv"), "loaded", 2, []),
        (str(source / "link.csv"), "skipped", 0, ["symlink_outside_source"]),
    ]
    (skipped,) = [s for s in report.slices if s.status == "skipped"]
    assert skipped.warnings[0].reason == (
        f"a link to {outside}, outside the source directory; not followed (billing.follow_symlinks)"
    )

    followed = ingest_focus_source(billing_db, str(source), options=ReadOptions(follow_symlinks=True))

    assert outcomes(followed) == [(f"aws/{AWS_ACCOUNT}/2024-01", "loaded", 1), GOOD_SLICE]
    assert totals(billing_db) == [
        ("aws", AWS_ACCOUNT, JANUARY, 1, Decimal("9.00")),
        ("gcp", GCP_ACCOUNT, JANUARY, 2, Decimal("4.50")),
    ]
