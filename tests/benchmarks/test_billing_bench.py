"""`cloudforge bench billing` on few rows, one round: every figure printed, the raw table holding exactly the rows
generated (and, after the new day, that day's rows besides). Figures are not judged: that is the bench's job."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from click.testing import CliRunner

from benchmarks.billing import DATABASE, NEW_DAY
from benchmarks.focus_rows import DAYS
from cloudforge.cli import main
from cloudforge.warehouse import connect

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
    rf"ratio ingestion / plain COPY: {NUMBER}x \(target >= 0.6x\), best of 1 round\(s\)",
    rf"dbt build of the cost models, full, {ROWS:,} rows: {NUMBER} s \(\d+ models {NUMBER} s, slowest \w+ ",
    rf"new day {NEW_DAY}: the open month restated, 6 slices, {NUMBER} rows, ingested in {NUMBER} s",
    rf"dbt build of the cost models, incremental: {NUMBER} s \(\d+ models {NUMBER} s, slowest ",
    rf"Costs page, cold \(queries not cached\): {NUMBER} ms \(target <= 2,000 ms\)",
    rf"Costs page, cached \(rerun, best of 5\): {NUMBER} ms \(target <= 200 ms\)",
]


def test_bench_billing_prints_every_figure_and_loads_every_row(warehouse_url, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", warehouse_url)

    result = CliRunner().invoke(main, ["bench", "billing", "--rows", str(ROWS), "--rounds", "1"])

    assert result.exit_code == 0, result.output
    printed = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(printed) == len(FIGURES), result.output
    for line, figure in zip(printed, FIGURES, strict=True):
        assert re.match(figure, line), (figure, line)

    bench_url = urlsplit(warehouse_url)._replace(path=f"/{DATABASE}").geturl()
    with connect(bench_url) as conn:
        [(before, new_day)] = conn.execute(
            "SELECT count(*) FILTER (WHERE charge_period_start < %(day)s),"
            " count(*) FILTER (WHERE charge_period_start >= %(day)s) FROM raw_billing.focus_charges",
            {"day": datetime.combine(NEW_DAY, time(), UTC)},
        ).fetchall()
        [(days_in_marts,)] = conn.execute(
            "SELECT count(DISTINCT charge_day) FROM marts.cost_daily WHERE charge_day <= %s", (NEW_DAY,)
        ).fetchall()
    assert before == ROWS
    assert new_day == math.ceil(ROWS / DAYS)  # every billing line once on the new day
    assert days_in_marts == DAYS + 1  # the incremental build took the new day in
