"""`cloudforge bench metrics`: the metrics asset's write path and its rollup load, each against a plain reference.

1. Points: ``--points`` deterministic CloudWatch values (default 1,000,000) through the asset's path
   (``collection.write_values``: the values frame checked, rendered and sent by ``MetricsWriter.write_frame`` in
   10,000-line requests, two in flight) into a time-series server of its own, against one raw line-protocol POST
   of the same lines into another. Target: points/s >= 0.5x the raw POST's.
2. Rollups: hourly values of ``--days`` (14) x ``--resources`` (5,000) resources, rolled up hourly and daily
   and replaced in raw_metrics.rollups (``rollups`` + ``replace_rollups``, as the asset does) against one plain
   COPY of the same rollup rows into an identical table. Target: rows/s >= 0.5x the plain COPY's.
"""

from __future__ import annotations

import io
import json
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
from psycopg import sql

from assets.metrics.collection import MEASUREMENT, TAGS, write_values
from assets.metrics.rollups import ROLLUP_COLUMNS, replace_rollups, rollups, values_frame
from benchmarks.common import Target, timed
from cloudforge.local.timeseries import start_embedded_timeseries
from cloudforge.metrics.writer import MetricsWriter, frame_lines
from cloudforge.settings import Settings
from cloudforge.warehouse import connect, create_database, database_url, ensure_schema

TARGET_RATIO = 0.5
ROUNDS = 2
WRITE_ROUNDS = 5  # a write takes about a second; the server's merges after each make single turns noisy
ACCOUNT, REGION = "111111111111", "us-east-1"


def values(resources: int, hours: int, start: datetime) -> pl.DataFrame:
    """Hourly CPU of ``resources`` instances: a deterministic saw-tooth, different per instance."""
    frame = pl.DataFrame({"resource": pl.arange(0, resources, eager=True)}).join(
        pl.DataFrame({"hour": pl.arange(0, hours, eager=True)}), how="cross")
    return values_frame({}).vstack(frame.select(
        resource_type=pl.lit("ec2_instance"),
        resource_id=pl.format("i-{}", pl.col("resource").cast(pl.String).str.zfill(17)),
        namespace=pl.lit("AWS/EC2"),
        metric=pl.lit("CPUUtilization"),
        time=pl.lit(start).cast(pl.Datetime("ms", "UTC")) + pl.duration(hours=pl.col("hour")),
        value=((pl.col("hour") * 7 + pl.col("resource") * 13) % 1000).cast(pl.Float64) / 10,
    ))


def run_metrics_bench(settings: Settings, points: int, resources: int, days: int,
                      echo: Callable[[str], None] = print) -> list[Target]:
    start = datetime.combine(settings.clock.today() - timedelta(days=days), datetime.min.time(), UTC)
    return [write_bench(points, start, echo), rollup_bench(settings, resources, days, start, echo)]


def write_bench(points: int, start: datetime, echo: Callable[[str], None]) -> Target:
    hours = 24 * 14
    frame = values(-(-points // hours), hours, start).head(points)
    asset_s, raw_s = [], []
    with tempfile.TemporaryDirectory(prefix="cloudforge-bench-metrics-") as directory:
        servers = [start_embedded_timeseries(Path(directory) / name) for name in ("asset", "raw")]
        try:
            asset, raw = servers
            tagged = frame.with_columns(account_id=pl.lit(ACCOUNT), region=pl.lit(REGION))
            payload = "\n".join(frame_lines(tagged, MEASUREMENT, TAGS, "metric", "value", "time")).encode()
            with MetricsWriter(asset.url) as writer:
                for _ in range(WRITE_ROUNDS):
                    asset_s.append(timed(lambda: write_values(writer, frame, ACCOUNT, REGION)))
                    raw_s.append(timed(lambda: raw_post(raw.url, payload)))
            for server in servers:
                server.force_flush()
            stored = [series_samples(server.url) for server in servers]
        finally:
            for server in servers:
                server.stop()
    if stored[0] != stored[1] or stored[0] != points:
        raise RuntimeError(f"the servers hold {stored} samples, not {points:,} each")
    echo(f"points through the asset's write path: {points / min(asset_s):>12,.0f} points/s")
    echo(f"one raw line-protocol POST:           {points / min(raw_s):>12,.0f} points/s"
         f"  ({len(payload) / 1e6:.0f} MB, best of {WRITE_ROUNDS} rounds each)")
    return Target("asset write path / raw POST", figure=points / min(asset_s), reference=points / min(raw_s),
                  reference_name="raw POST", unit="points/s", bound=TARGET_RATIO, higher_is_better=True)


def raw_post(url: str, payload: bytes) -> None:
    request = urllib.request.Request(f"{url}/write?precision=ms", data=payload, method="POST")
    urllib.request.urlopen(request, timeout=600).close()


def series_samples(url: str) -> int:
    """How many samples the server holds for the bench's metric."""
    query = urllib.parse.urlencode({"query": 'sum(count_over_time(cloudwatch_CPUUtilization[10000d]))'})
    with urllib.request.urlopen(f"{url}/api/v1/query?{query}", timeout=600) as response:
        result = json.load(response)["data"]["result"]
    return int(float(result[0]["value"][1])) if result else 0


def rollup_bench(settings: Settings, resources: int, days: int, start: datetime,
                 echo: Callable[[str], None]) -> Target:
    frame = values(resources, 24 * days, start)
    end = start + timedelta(days=days)
    url = create_database(database_url(settings), "cloudforge_bench_metrics")
    now = settings.clock.now()
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
        conn.execute("DROP TABLE IF EXISTS raw_metrics.plain_copy")
        conn.execute("CREATE TABLE raw_metrics.plain_copy (LIKE raw_metrics.rollups INCLUDING ALL)")
        rolled = rollups(frame)
        rows = rolled.height
        reference = rolled.with_columns(account_id=pl.lit(ACCOUNT), region=pl.lit(REGION),
                                        loaded_at=pl.lit(now).cast(pl.Datetime("us", "UTC"))).select(ROLLUP_COLUMNS)
        load_s, copy_s = [], []
        for _ in range(ROUNDS):
            load_s.append(timed(lambda: replace_rollups(conn, ACCOUNT, REGION, start, end, rollups(frame), now)))
            copy_s.append(timed(lambda: plain_copy(conn, reference)))
        conn.execute("DROP TABLE raw_metrics.plain_copy")
    echo(f"{days} days x {resources:,} resources: {frame.height:,} hourly values, {rows:,} rollup rows")
    echo(f"rollup and replace (rollups + replace_rollups): {rows / min(load_s):>10,.0f} rows/s")
    echo(f"plain COPY of the same rows, one statement:     {rows / min(copy_s):>10,.0f} rows/s  "
         f"(best of {ROUNDS} rounds each)")
    return Target("rollups / plain COPY", figure=rows / min(load_s), reference=rows / min(copy_s),
                  reference_name="plain COPY", unit="rows/s", bound=TARGET_RATIO, higher_is_better=True)


def plain_copy(conn, frame: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False)
    columns = sql.SQL(", ").join(map(sql.Identifier, ROLLUP_COLUMNS))
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("TRUNCATE raw_metrics.plain_copy")
        with cur.copy(sql.SQL("COPY raw_metrics.plain_copy ({}) FROM STDIN (FORMAT csv)").format(columns)) as copy:
            copy.write(buffer.getvalue())
