"""Hourly and daily rollups of collected values (avg, p95, max, sum, samples), replaced in ``raw_metrics.rollups``
per (account, region) slice and time window with one COPY.

p95 is the linear-interpolation percentile (PostgreSQL's ``percentile_cont(0.95)``) of the values in the bucket.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime

import polars as pl
import psycopg

from cloudforge.warehouse import replace_slice_csv

ROLLUPS_TABLE = ("raw_metrics", "rollups")
SERIES_COLUMNS = ("resource_type", "resource_id", "namespace", "metric")
ROLLUP_COLUMNS = ("account_id", "region", *SERIES_COLUMNS, "period", "bucket_start", "samples", "avg", "p95", "max",
                  "sum", "loaded_at")
VALUES_SCHEMA = {**dict.fromkeys(SERIES_COLUMNS, pl.String), "time": pl.Datetime("ms", "UTC"), "value": pl.Float64}
CSV_CHUNK_ROWS = 50_000


def values_frame(columns: dict[str, list]) -> pl.DataFrame:
    """Collected values as a frame: the series columns, ``time`` (UTC) and ``value``."""
    return pl.DataFrame(columns, schema=VALUES_SCHEMA)


def rollups(values: pl.DataFrame) -> pl.DataFrame:
    """The hour and day buckets of ``values``: one row per series, period and bucket."""
    frames = []
    for period, every in (("hour", "1h"), ("day", "1d")):
        frames.append(
            values.group_by(*SERIES_COLUMNS, pl.col("time").dt.truncate(every).alias("bucket_start"))
            .agg(pl.len().cast(pl.Int32).alias("samples"), pl.col("value").mean().alias("avg"),
                 pl.col("value").quantile(0.95, interpolation="linear").alias("p95"),
                 pl.col("value").max().alias("max"), pl.col("value").sum().alias("sum"))
            .with_columns(period=pl.lit(period))
        )
    return pl.concat(frames).sort(*SERIES_COLUMNS, "period", "bucket_start")


def replace_rollups(conn: psycopg.Connection, account_id: str, region: str, start: datetime, end: datetime,
                    rolled: pl.DataFrame, loaded_at: datetime) -> int:
    """Replace the slice's rollups whose bucket starts in [start, end) by ``rolled``, in the caller's
    transaction or one of its own; returns the rows loaded."""
    frame = rolled.with_columns(account_id=pl.lit(account_id), region=pl.lit(region),
                                loaded_at=pl.lit(loaded_at).cast(pl.Datetime("us", "UTC"))).select(ROLLUP_COLUMNS)
    replace_slice_csv(conn, ROLLUPS_TABLE, {"account_id": account_id, "region": region}, ROLLUP_COLUMNS,
                      csv_chunks(frame), window=("bucket_start", start, end))
    return frame.height


def csv_chunks(frame: pl.DataFrame) -> Iterator[bytes]:
    """The frame as headerless CSV, a chunk at a time (timestamps in ISO 8601 with their offset)."""
    for offset in range(0, frame.height, CSV_CHUNK_ROWS):
        buffer = io.BytesIO()
        frame.slice(offset, CSV_CHUNK_ROWS).write_csv(buffer, include_header=False, float_precision=None)
        yield buffer.getvalue()
