"""`cloudforge bench billing` on few rows, one round: every figure printed, the raw table holding exactly the rows
generated (and, after the new day, that day's rows besides), every target judged, and the exit code failing
exactly when one is missed. Which targets are met depends on the machine: the test asserts the verdict, not it."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from benchmarks.billing import DATABASE, NEW_DAY
from benchmarks.focus_rows import DAYS
from cloudforge.cli import main
from cloudforge.local.postgres import embedded_postgres_url
from cloudforge.warehouse import connect

pytestmark = pytest.mark.dbt  # the bench builds the cost models twice

ROWS = 10_000
NUMBER = r"[\d,]+(\.\d+)?"
FIGURES = [
    (
        rf"{ROWS:,} FOCUS rows in 24 slices \(6 billing accounts, 4 billing periods\), {NUMBER} MB of Parquet, "
        rf"generated in {NUMBER} s"
    ),
    rf"great-expectations import, once per process: {NUMBER} s",
    rf"ingestion \(Parquet -> gate -> COPY per slice\): +{NUMBER} rows/s +{NUMBER} MB/s +{NUMBER} s",
    rf"plain COPY, one statement, same rows: +{NUMBER} rows/s +{NUMBER} MB/s +{NUMBER} s",
    r"best of 1 round\(s\) each",
    rf"dbt build of the cost models, full, {ROWS:,} rows: {NUMBER} s \(\d+ models {NUMBER} s, slowest \w+ .*\); "
    rf"dbt start-up {NUMBER} s of it$",
    rf"new day {NEW_DAY}: the open month restated, 6 slices, {NUMBER} rows, ingested in {NUMBER} s",
    rf"dbt build of the cost models, incremental: {NUMBER} s \(\d+ models {NUMBER} s, slowest .*\); "
    rf"dbt start-up {NUMBER} s of it$",
    "both builds timed whole, as a platform step runs them: dbt's start-up",
    (
        rf"cost_daily in the incremental build: (?P<node>{NUMBER}) s, of which the SQL dbt ran for it "
        rf"(?P<sql>{NUMBER}) s \(its pre-hook, contract check, temporary view, metadata queries, insert, post-hook, "
        r"commit\); the rest is dbt's own work between them"
    ),
    (
        rf"hand-written DELETE \+ INSERT ... SELECT of cost_daily's 6 changed days \({NEW_DAY} of each restated "
        rf"slice\): {NUMBER} s \(rolled back\)"
    ),
    "PostgreSQL restarted: the Costs page runs on empty buffers",
    rf"Costs page, cold \(queries not cached\): {NUMBER} ms",
    rf"Costs page, cached \(rerun, best of 5\): {NUMBER} ms",
    "targets:",
]
VERDICT = r"  (met   |MISSED) "
TARGETS = [
    rf"ingestion / plain COPY: {NUMBER} rows/s against plain COPY {NUMBER} rows/s: {NUMBER}x \(target >= 0.6x\)",
    rf"incremental build / full build: {NUMBER} s against full build {NUMBER} s: {NUMBER}x \(target <= 0.25x\)",
    rf"cost_daily incremental SQL / hand-written: {NUMBER} s against hand-written DELETE \+ INSERT {NUMBER} s: "
    rf"{NUMBER}x \(target <= 1.5x\)",
    rf"Costs page cold: {NUMBER} ms against limit 2,000.00 ms: {NUMBER}x \(target <= 1x\)",
    rf"Costs page cached: {NUMBER} ms against limit 200.00 ms: {NUMBER}x \(target <= 1x\)",
]


def test_bench_billing_prints_every_figure_and_loads_every_row(tmp_path, monkeypatch):
    """On its own embedded PostgreSQL, as `cloudforge bench` runs by default: the one it restarts."""
    warehouse_url = embedded_postgres_url(tmp_path, delete_on_exit=True)
    monkeypatch.delenv("CLOUDFORGE_DATABASE_URL", raising=False)
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", str(tmp_path))
    with connect(warehouse_url) as conn:
        started = conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]

    result = CliRunner().invoke(main, ["bench", "billing", "--rows", str(ROWS), "--rounds", "1"])

    printed = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(printed) == len(FIGURES) + len(TARGETS), result.output
    expected = FIGURES + [VERDICT + target for target in TARGETS]
    matches = [re.match(figure, line) for line, figure in zip(printed, expected, strict=True)]
    assert all(matches), [(figure, line) for figure, line, m in zip(expected, printed, matches) if not m]
    [cost_daily] = [m for m in matches if "sql" in m.groupdict()]
    assert 0 < float(cost_daily["sql"]) <= float(cost_daily["node"])  # its SQL, read from dbt's log
    missed = [line.split(": ")[0].removeprefix("  MISSED ") for line in printed if line.startswith("  MISSED ")]
    if missed:
        assert result.exit_code == 1, result.output
        assert f"Error: missed {len(missed)} target(s): {'; '.join(missed)}" in result.stderr
    else:
        assert result.exit_code == 0, result.output

    bench_url = urlsplit(warehouse_url)._replace(path=f"/{DATABASE}").geturl()
    with connect(bench_url) as conn:
        assert conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0] > started  # restarted
        [(before, new_day)] = conn.execute(
            "SELECT count(*) FILTER (WHERE charge_period_start < %(day)s),"
            " count(*) FILTER (WHERE charge_period_start >= %(day)s) FROM raw_billing.focus_charges",
            {"day": datetime.combine(NEW_DAY, time(), UTC)},
        ).fetchall()
        [(days_in_marts,)] = conn.execute(
            "SELECT count(DISTINCT charge_day) FROM marts.cost_daily WHERE charge_day <= %s", (NEW_DAY,)
        ).fetchall()
        latest_build_days = conn.execute(
            "SELECT DISTINCT charge_day FROM marts.cost_daily"
            " WHERE built_at = (SELECT max(built_at) FROM marts.cost_daily)"
        ).fetchall()
    assert before == ROWS
    assert new_day == math.ceil(ROWS / DAYS)  # every billing line once on the new day
    assert days_in_marts == DAYS + 1  # the incremental build took the new day in
    assert latest_build_days == [(NEW_DAY,)]  # and only it: the open month's other days were restated as they were
