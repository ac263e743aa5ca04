"""Collect CloudWatch metrics per (account, region) slice into the time-series server and ``raw_metrics``.

For each slice: the resources the inventory found there (``raw_aws.resources``) and the metrics configured for
their type become GetMetricData queries (up to 500 a call, following NextToken), read one UTC day of the
window at a time (a day's values of 500 series fit one or few pages, and the moto server the demo and the
tests use answers a day's request in time linear in the data). The slice's values are then written to the
time-series server (idempotent: a point written again replaces itself), rolled up hourly and daily, and the
rollups of the window replaced in PostgreSQL with the slice's outcome, in one transaction.

A slice that fails (CloudWatch throttling after the client's adaptive retries, a refused role, the time-series
server refusing a write) is recorded as failed with the redacted reason and keeps its previous rollups.

The window: from the start of the UTC day of (the last collection's end - ``overlap_hours``) when it succeeded,
else (the first collection, or one after a failure) ``lookback_days`` back, never further; to the current hour.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import polars as pl
import psycopg

from assets.aws.clients import AccountSession, open_account
from assets.aws.errors import describe_error
from assets.metrics.rollups import SERIES_COLUMNS, replace_rollups, rollups, values_frame
from cloudforge.clock import Clock
from cloudforge.metrics.catalogue import CATALOGUE
from cloudforge.metrics.writer import MetricsWriter
from cloudforge.settings import AwsSettings, MetricsSettings
from cloudforge.warehouse import ensure_schema

log = logging.getLogger(__name__)

MAX_QUERIES = 500  # GetMetricData's limit per call
MEASUREMENT = "cloudwatch"  # series <measurement>_<metric> in VictoriaMetrics, field <metric> in InfluxDB
DAY = timedelta(days=1)

TARGETS = """
    SELECT resource_type, resource_id, arn FROM raw_aws.resources
    WHERE account_id = %s AND region = %s AND resource_type = ANY(%s)
    ORDER BY resource_type, resource_id
"""
LAST_COLLECTED = """
    SELECT window_end FROM raw_metrics.collection_slices
    WHERE account_id = %s AND region = %s AND last_success_at IS NOT NULL AND status = 'ok'
"""
RECORD_SLICE = """
    INSERT INTO raw_metrics.collection_slices
        (account_id, region, status, window_start, window_end, point_count, message, attempted_at, last_success_at)
    VALUES (%(account_id)s, %(region)s, %(status)s, %(window_start)s, %(window_end)s, %(point_count)s,
            %(message)s, %(attempted_at)s, %(last_success_at)s)
    ON CONFLICT (account_id, region) DO UPDATE SET
        status = excluded.status, window_start = excluded.window_start, window_end = excluded.window_end,
        point_count = excluded.point_count, message = excluded.message, attempted_at = excluded.attempted_at,
        last_success_at = coalesce(excluded.last_success_at, collection_slices.last_success_at)
"""


@dataclass(frozen=True)
class Query:
    """One series to read: a resource's metric, and how CloudWatch names it."""

    resource_type: str
    resource_id: str
    dimension_value: str
    metric: str

    @property
    def namespace(self) -> str:
        return CATALOGUE[self.resource_type].namespace

    def request(self, query_id: str, period: int) -> dict:
        known = CATALOGUE[self.resource_type]
        metric = {"Namespace": known.namespace, "MetricName": self.metric,
                  "Dimensions": [{"Name": known.dimension, "Value": self.dimension_value}]}
        return {"Id": query_id, "MetricStat": {"Metric": metric, "Period": period, "Stat": known.metrics[self.metric]},
                "ReturnData": True}


@dataclass(frozen=True)
class SliceOutcome:
    account_id: str
    region: str
    window_start: datetime
    window_end: datetime
    points: int = 0
    rollups: int = 0
    error_code: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.error_code is None

    def __str__(self) -> str:
        outcome = (f"{self.points} values, {self.rollups} rollups" if self.ok
                   else f"FAILED {self.error_code}: {self.message}")
        return f"{self.account_id} {self.region} {self.window_start:%Y-%m-%d %H:%M}..{self.window_end:%H:%M}: {outcome}"


@dataclass
class CollectionReport:
    slices: list[SliceOutcome] = field(default_factory=list)
    duration_seconds: float = 0.0

    @property
    def failures(self) -> list[SliceOutcome]:
        return [outcome for outcome in self.slices if not outcome.ok]

    @property
    def points(self) -> int:
        return sum(outcome.points for outcome in self.slices)

    @property
    def rollups(self) -> int:
        return sum(outcome.rollups for outcome in self.slices)


def queries_for(rows: list[tuple[str, str, str | None]], collect: dict[str, list[str]]) -> list[Query]:
    """A query per configured metric of each inventoried (resource_type, resource_id, arn)."""
    queries = []
    for resource_type, resource_id, arn in rows:
        dimension = arn.split(":loadbalancer/", 1)[1] if resource_type == "load_balancer" and arn else resource_id
        queries += [Query(resource_type, resource_id, dimension, metric) for metric in collect[resource_type]]
    return queries


def collection_window(last_end: datetime | None, now: datetime, metrics: MetricsSettings) -> tuple[datetime, datetime]:
    """[start, end): from the start of a UTC day to the current hour (see the module docstring)."""
    end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    earliest = end - timedelta(days=metrics.lookback_days)
    start = earliest if last_end is None else max(earliest, last_end - timedelta(hours=metrics.overlap_hours))
    return start.astimezone(UTC).replace(hour=0), end


def fetch_values(cloudwatch, queries: list[Query], start: datetime, end: datetime, period: int) -> pl.DataFrame:
    """Every value of ``queries`` in [start, end), a day at a time, 500 queries a call, every page."""
    columns: dict[str, list] = {name: [] for name in (*SERIES_COLUMNS, "time", "value")}
    for day_start, day_end in _days(start, end):
        for offset in range(0, len(queries), MAX_QUERIES):
            chunk = queries[offset : offset + MAX_QUERIES]
            requests = [query.request(f"q{i}", period) for i, query in enumerate(chunk)]
            params = {"MetricDataQueries": requests, "StartTime": day_start, "EndTime": day_end,
                      "ScanBy": "TimestampAscending"}
            while True:
                page = cloudwatch.get_metric_data(**params)
                for result in page["MetricDataResults"]:
                    query = chunk[int(result["Id"][1:])]
                    count = len(result["Values"])
                    for name, value in zip(SERIES_COLUMNS, (query.resource_type, query.resource_id,
                                                            query.namespace, query.metric), strict=True):
                        columns[name] += [value] * count
                    columns["time"] += [stamp.astimezone(UTC) for stamp in result["Timestamps"]]
                    columns["value"] += [float(value) for value in result["Values"]]
                if not page.get("NextToken"):
                    break
                params["NextToken"] = page["NextToken"]
    # a value at the window's end belongs to the next window; CloudWatch stamps a period by its start
    return values_frame(columns).filter((pl.col("time") >= start) & (pl.col("time") < end))


def _days(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    day = start
    while day < end:
        yield day, min(day + DAY, end)
        day += DAY


TAGS = ("account_id", "region", "resource_type", "resource_id", "namespace")


def write_values(writer: MetricsWriter, values: pl.DataFrame, account_id: str, region: str) -> int:
    """The values as points: one per value, the metric its field, the slice and series its tags."""
    tagged = values.with_columns(account_id=pl.lit(account_id), region=pl.lit(region))
    return writer.write_frame(tagged, MEASUREMENT, TAGS, "metric", "value", "time")


def collect_metrics(aws: AwsSettings, metrics: MetricsSettings, writer: MetricsWriter, conn: psycopg.Connection, *,
                    clock: Clock, progress: Callable[[SliceOutcome], None] | None = None) -> CollectionReport:
    """Collect every (account, region) slice; never raises for a failed slice (see the module docstring).

    The time-series server is checked first: when it does not answer, nothing is collected and the error says
    where it was looked for."""
    writer.check_reachable()
    ensure_schema(conn)
    report, started = CollectionReport(), time.monotonic()
    now = clock.now()
    plan = []
    for account in aws.accounts:
        for region in aws.regions:
            last_end = conn.execute(LAST_COLLECTED, [account.id, region]).fetchone()
            start, end = collection_window(last_end and last_end[0], now, metrics)
            rows = conn.execute(TARGETS, [account.id, region, list(metrics.collect)]).fetchall()
            plan.append((account, region, start, end, queries_for(rows, metrics.collect)))

    def fetch(account, region, start, end, queries, sessions) -> pl.DataFrame:
        session: AccountSession = sessions[account.id].result()
        return fetch_values(session.client("cloudwatch", region), queries, start, end, metrics.period_seconds)

    with ThreadPoolExecutor(aws.max_workers, "metrics") as pool:
        sessions = {account.id: pool.submit(open_account, aws, account) for account in aws.accounts}
        fetches = [(job, pool.submit(fetch, *job, sessions)) for job in plan]
        for (account, region, start, end, _queries), future in fetches:
            session = sessions[account.id]
            try:
                values = future.result()
                write_values(writer, values, account.id, region)
                rolled = rollups(values)
                with conn.transaction():
                    loaded = replace_rollups(conn, account.id, region, start, end, rolled, now)
                    _record(conn, account.id, region, start, end, now, points=values.height)
                outcome = SliceOutcome(account.id, region, start, end, values.height, loaded)
            except Exception as error:  # every failure belongs to its slice; the collection goes on
                secrets = session.result().secrets() if session.exception() is None else []
                code, message = describe_error(error, secrets)
                with conn.transaction():
                    _record(conn, account.id, region, start, end, now, error=f"{code}: {message}")
                outcome = SliceOutcome(account.id, region, start, end, error_code=code, message=message)
            report.slices.append(outcome)
            log.info("metrics %s", outcome)
            if progress is not None:
                progress(outcome)
    report.duration_seconds = round(time.monotonic() - started, 3)
    return report


def _record(conn: psycopg.Connection, account_id: str, region: str, start: datetime, end: datetime, now: datetime,
            *, points: int | None = None, error: str | None = None) -> None:
    conn.execute(RECORD_SLICE, {
        "account_id": account_id, "region": region, "status": "failed" if error else "ok", "window_start": start,
        "window_end": end, "point_count": points, "message": error, "attempted_at": now,
        "last_success_at": None if error else now,
    })
