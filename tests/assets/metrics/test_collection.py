"""CloudWatch metrics collected from the moto server into the real VictoriaMetrics and raw_metrics.rollups.

A small estate of its own (accounts no other test uses): inventory rows are written as the inventory writes
them, and CloudWatch holds, for two whole days before the session's date, one value per five minutes for the
EC2 instance (so an hour has 12 samples) and one an hour for the other types.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, time, timedelta

import boto3
import pytest

from assets.metrics.alerts import percentile_cont
from assets.metrics.collection import collect_metrics, collection_window
from cloudforge.clock import Clock
from cloudforge.local.timeseries import EmbeddedTimeseries
from cloudforge.metrics.writer import MetricsWriteError, MetricsWriter
from cloudforge.settings import AwsSettings, MetricsSettings
from cloudforge.warehouse import connect
from tests.support.aws_proxy import refusing_proxy, throttled

ACCOUNT = "520000000001"
REGIONS = ("us-east-1", "eu-west-1")
ROLE = f"arn:aws:iam::{ACCOUNT}:role/CloudForgeReadOnly"
LB_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
# (region, resource_type, resource_id, arn): what the inventory found
RESOURCES = [
    ("us-east-1", "ec2_instance", "i-0metrics000000001", None),
    ("us-east-1", "load_balancer", "web", LB_ARN),
    ("eu-west-1", "rds_instance", "orders-db", None),
]
DAYS = 2


def cpu(minute: int) -> float:
    """The instance's CPU at ``minute`` of the data: 0..11 in steps within an hour, plus the hour of the day."""
    return (minute // 5) % 12 + (minute // 60) % 24


def connections(hour: int) -> float:
    return float(hour % 24)


def requests(hour: int) -> float:
    return 100.0 * (hour % 3)


@pytest.fixture(scope="module")
def first_day(clock: Clock) -> datetime:
    return datetime.combine(clock.today() - timedelta(days=DAYS), time(), UTC)


@pytest.fixture(scope="module")
def published(moto_endpoint: str, first_day: datetime) -> None:
    """Put the values into moto's CloudWatch in ACCOUNT, entered by assuming its read role."""
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=moto_endpoint, aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    keys = sts.assume_role(RoleArn=ROLE, RoleSessionName="test")["Credentials"]
    def client(region: str):
        return boto3.client("cloudwatch", region_name=region, endpoint_url=moto_endpoint,
                            aws_access_key_id=keys["AccessKeyId"], aws_secret_access_key=keys["SecretAccessKey"],
                            aws_session_token=keys["SessionToken"])
    def put(region, namespace, name, dimension, value, stamps_values):
        data = [{"MetricName": name, "Dimensions": [{"Name": dimension, "Value": value}], "Timestamp": stamp,
                 "Value": v} for stamp, v in stamps_values]
        for offset in range(0, len(data), 1000):
            client(region).put_metric_data(Namespace=namespace, MetricData=data[offset : offset + 1000])
    minutes = range(0, DAYS * 24 * 60, 5)
    put("us-east-1", "AWS/EC2", "CPUUtilization", "InstanceId", RESOURCES[0][2],
        [(first_day + timedelta(minutes=m), cpu(m)) for m in minutes])
    hours = range(DAYS * 24)
    put("us-east-1", "AWS/ApplicationELB", "RequestCount", "LoadBalancer", "app/web/50dc6c495c0c9188",
        [(first_day + timedelta(hours=h), requests(h)) for h in hours])
    put("eu-west-1", "AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", "orders-db",
        [(first_day + timedelta(hours=h), connections(h)) for h in hours])


@pytest.fixture
def inventoried(database: str, published: None, clock: Clock) -> str:
    """The test's database holding the inventory rows."""
    with connect(database, autocommit=True) as conn:
        with conn.cursor().copy("COPY raw_aws.resources (account_id, region, resource_type, resource_id, arn, "
                                "document, sync_id, synced_at) FROM STDIN") as copy:
            for region, resource_type, resource_id, arn in RESOURCES:
                tags = [{"Key": "Team", "Value": "Payments"}] if resource_type == "ec2_instance" else []
                copy.write_row((ACCOUNT, region, resource_type, resource_id, arn, json.dumps({"Tags": tags}),
                                str(uuid.uuid4()), clock.now()))
    return database


def aws_settings(endpoint: str, **extra) -> AwsSettings:
    return AwsSettings(mode="demo", regions=list(REGIONS), accounts=[{"id": ACCOUNT, "role_arn": ROLE}],
                       endpoint_url=endpoint, max_workers=2, timeout_seconds=10, **extra)


METRICS = MetricsSettings(url="http://unused", period_seconds=300, lookback_days=3, overlap_hours=2,
                          collect={"ec2_instance": ["CPUUtilization"], "load_balancer": ["RequestCount"],
                                   "rds_instance": ["DatabaseConnections"]})


def collect(url: str, endpoint: str, timeseries_url: str, clock: Clock, **aws):
    with MetricsWriter(timeseries_url) as writer, connect(url, autocommit=True) as conn:
        return collect_metrics(aws_settings(endpoint, **aws), METRICS, writer, conn, clock=clock)


def rollups(url: str, *where: str) -> list[tuple]:
    query = ("SELECT region, resource_id, metric, period, bucket_start, samples, avg, p95, max, sum "
             "FROM raw_metrics.rollups ORDER BY 1, 2, 3, 4, 5")
    with connect(url) as conn:
        return conn.execute(query).fetchall()


def expected_rollups(first_day: datetime) -> list[tuple]:
    """Every rollup the data implies, computed here from the value functions."""
    rows = []
    def add(region, resource_id, metric, stamped):
        for period, size in (("day", timedelta(days=1)), ("hour", timedelta(hours=1))):
            buckets: dict[datetime, list[float]] = {}
            for stamp, value in stamped:
                buckets.setdefault(first_day + (stamp - first_day) // size * size, []).append(value)
            rows.extend((region, resource_id, metric, period, start, len(v), sum(v) / len(v),
                         percentile_cont(v, 0.95), max(v), sum(v)) for start, v in buckets.items())
    add("eu-west-1", "orders-db", "DatabaseConnections",
        [(first_day + timedelta(hours=h), connections(h)) for h in range(DAYS * 24)])
    add("us-east-1", RESOURCES[0][2], "CPUUtilization",
        [(first_day + timedelta(minutes=m), cpu(m)) for m in range(0, DAYS * 24 * 60, 5)])
    add("us-east-1", "web", "RequestCount", [(first_day + timedelta(hours=h), requests(h)) for h in range(DAYS * 24)])
    return sorted(rows)


def approx(rows: list[tuple]) -> list[tuple]:
    return [(*row[:6], *(pytest.approx(value, rel=1e-12) for value in row[6:])) for row in rows]


def exported(timeseries: EmbeddedTimeseries, metric: str) -> list[dict]:
    timeseries.force_flush()
    query = urllib.parse.urlencode({"match[]": f'{{__name__="cloudwatch_{metric}",account_id="{ACCOUNT}"}}'})
    with urllib.request.urlopen(f"{timeseries.url}/api/v1/export?{query}") as response:
        return [json.loads(line) for line in response.read().decode().splitlines()]


def test_values_go_to_the_time_series_server_and_exact_rollups_to_postgres(
    inventoried: str, moto_endpoint: str, timeseries: EmbeddedTimeseries, clock: Clock, first_day: datetime
) -> None:
    database = inventoried
    report = collect(database, moto_endpoint, timeseries.url, clock)
    assert [(outcome.region, outcome.ok) for outcome in report.slices] == [("us-east-1", True), ("eu-west-1", True)]
    assert report.points == DAYS * 24 * (12 + 1 + 1)
    assert rollups(database) == approx(expected_rollups(first_day))
    [series] = exported(timeseries, "CPUUtilization")
    assert series["metric"] == {"__name__": "cloudwatch_CPUUtilization", "account_id": ACCOUNT,
                                "region": "us-east-1", "resource_type": "ec2_instance",
                                "resource_id": RESOURCES[0][2], "namespace": "AWS/EC2"}
    assert series["values"] == [cpu(m) for m in range(0, DAYS * 24 * 60, 5)]

    # Again: from the start of the UTC day overlap_hours before the last end, so today (no values yet) or, in the
    # first overlap_hours after midnight, yesterday too (its values read again); the rollups stay as they were.
    later = collect(database, moto_endpoint, timeseries.url, clock)
    end = clock.now().replace(minute=0, second=0, microsecond=0)
    start = (end - timedelta(hours=METRICS.overlap_hours)).replace(hour=0)
    days_again = (end.replace(hour=0) - start).days
    assert [(o.region, o.window_start, o.window_end, o.points, o.ok) for o in later.slices] == [
        ("us-east-1", start, end, days_again * 24 * (12 + 1), True),  # CPU every 5 minutes, requests hourly
        ("eu-west-1", start, end, days_again * 24, True),  # connections hourly
    ]
    assert rollups(database) == approx(expected_rollups(first_day))

    with connect(database, autocommit=True) as conn:  # forgotten: the whole lookback is read and written again
        conn.execute("DELETE FROM raw_metrics.collection_slices")
    again = collect(database, moto_endpoint, timeseries.url, clock)
    assert again.points == report.points
    assert rollups(database) == approx(expected_rollups(first_day))
    assert [len(series["values"]) for series in exported(timeseries, "CPUUtilization")] == [DAYS * 24 * 12]


def test_the_first_window_reaches_back_the_lookback_from_the_start_of_its_day() -> None:
    now = datetime(2026, 3, 10, 14, 37, tzinfo=UTC)
    assert collection_window(None, now, METRICS) == (datetime(2026, 3, 7, tzinfo=UTC),
                                                     datetime(2026, 3, 10, 14, tzinfo=UTC))
    last = datetime(2026, 3, 10, 1, tzinfo=UTC)  # 1:00 less the two hours' overlap is the day before
    assert collection_window(last, now, METRICS)[0] == datetime(2026, 3, 9, tzinfo=UTC)
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)  # never further back than the lookback
    assert collection_window(long_ago, now, METRICS)[0] == datetime(2026, 3, 7, tzinfo=UTC)


def test_a_throttled_cloudwatch_is_retried_then_its_slice_fails_and_keeps_its_rollups(
    inventoried: str, moto_endpoint: str, timeseries: EmbeddedTimeseries, clock: Clock, first_day: datetime
) -> None:
    database = inventoried
    collect(database, moto_endpoint, timeseries.url, clock)
    with refusing_proxy(moto_endpoint, throttled("eu-west-1", "monitoring")) as proxy:
        report = collect(database, proxy.url, timeseries.url, clock, max_attempts=3)
    failed = {outcome.region: (outcome.error_code, outcome.message) for outcome in report.slices if not outcome.ok}
    assert failed == {"eu-west-1": ("ThrottlingException", failed["eu-west-1"][1])}
    assert "Rate exceeded" in failed["eu-west-1"][1]
    assert proxy.refused[("eu-west-1", "monitoring", "ThrottlingException")] == 3  # tried three times
    assert rollups(database) == approx(expected_rollups(first_day))  # eu-west-1's previous rollups stay
    with connect(database) as conn:
        slices = conn.execute("SELECT region, status, message IS NOT NULL, last_success_at IS NOT NULL "
                              "FROM raw_metrics.collection_slices ORDER BY 1").fetchall()
    assert slices == [("eu-west-1", "failed", True, True), ("us-east-1", "ok", False, True)]


def test_an_unreachable_time_series_server_fails_before_anything_is_collected(
    database: str, moto_endpoint: str, clock: Clock
) -> None:
    with pytest.raises(MetricsWriteError, match=r"the time-series server at http://127\.0\.0\.1:9 does not answer"):
        collect(database, moto_endpoint, "http://127.0.0.1:9", clock)
    with connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM raw_metrics.collection_slices").fetchone() == (0,)
