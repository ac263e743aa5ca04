"""The demo estate's CloudWatch metrics: 14 whole UTC days of hourly values, published into moto.

Every value is a plain function of the resource's *profile*, the metric and the hour, so tests derive exact
rollups from this module. Only what runs reports: running instances, the volumes attached to them, every
database, function and load balancer. Profiles:

==============  =====================================================================================
ec2_instance    the running instances in a seeded shuffle take, in turn, ``overloaded`` (1), ``idle`` (3),
                ``low`` (4), then ``busy``:
                overloaded  CPU 95-99 % every hour (fires the demo's alert rule ec2-cpu-overloaded)
                idle        CPU 1.0-2.9 % (p95 < 5 %), network 1-2 kB an hour: an idle instance
                low         CPU 8-19.5 % (p95 < 20 %, >= 5 %): a rightsizing candidate
                busy        CPU 30-76 %
rds_instance    the first database in the same shuffle is ``unused`` (no connections, CPU 1.5 %), the rest
                ``busy``
load_balancer   the first load balancer is ``idle`` (no requests, so no response times), the rest ``busy``
lambda_function ``busy``; ebs_volume: its instance's profile
==============  =====================================================================================

At the default seed and size (42, 300) the estate has 34 running instances, 12 databases and 6 load
balancers, so: 1 overloaded, 3 idle and 4 low instances, 1 database without connections, 1 idle load balancer
(``expected_profile_counts`` computes them for any estate).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from cloudforge.metrics.catalogue import CATALOGUE
from demo.estate import Estate, ResourceSpec

DAYS = 14
HOURS = DAYS * 24
INSTANCE_PROFILES = ("overloaded", "idle", "idle", "idle", "low", "low", "low", "low")
PUT_BATCH = 1000  # MetricData entries per PutMetricData call (the AWS limit)

# (account_id, region, resource_type, name) -> (resource_id, ARN), as demo.seeding returns them
ResourceIds = dict[tuple[str, str, str, str], tuple[str, str]]


@dataclass(frozen=True)
class DemoSeries:
    """One metric of one resource: the rollups' key, the CloudWatch dimension, and a value per hour."""

    account_id: str
    region: str
    resource_type: str
    resource_id: str
    dimension_value: str
    metric: str
    profile: str
    values: tuple[float, ...]  # hour 0 is 00:00 UTC of the first day

    @property
    def namespace(self) -> str:
        return CATALOGUE[self.resource_type].namespace


def profiles(estate: Estate) -> list[tuple[ResourceSpec, str]]:
    """Every resource that reports metrics, with its profile (see the module docstring)."""
    rng = random.Random(estate.seed)
    running = [s for s in estate.of_type("ec2_instance") if s.attributes["state"] == "running"]
    rng.shuffle(running)
    result = [(spec, INSTANCE_PROFILES[i] if i < len(INSTANCE_PROFILES) else "busy") for i, spec in enumerate(running)]
    by_instance = {(spec.account_id, spec.region, spec.name): profile for spec, profile in result}
    for volume in estate.of_type("ebs_volume"):
        owner = (volume.account_id, volume.region, volume.attributes["attached_to"])
        if owner in by_instance:
            result.append((volume, by_instance[owner]))
    for resource_type, first in (("rds_instance", "unused"), ("load_balancer", "idle")):
        specs = estate.of_type(resource_type)
        rng.shuffle(specs)
        result += [(spec, first if i == 0 else "busy") for i, spec in enumerate(specs)]
    return result + [(spec, "busy") for spec in estate.of_type("lambda_function")]


def expected_profile_counts(estate: Estate) -> Counter[tuple[str, str]]:
    """(resource_type, profile) -> how many resources have it."""
    return Counter((spec.resource_type, profile) for spec, profile in profiles(estate))


def hourly_value(resource_type: str, metric: str, profile: str, hour: int, spec: ResourceSpec) -> float | None:
    """The value of ``metric`` at ``hour`` (None: not reported that hour)."""
    h = hour % 24
    if resource_type == "ec2_instance" and metric == "CPUUtilization":
        return {"overloaded": 95.0 + hour % 5, "idle": 1.0 + h / 12, "low": 8.0 + h / 2, "busy": 30.0 + 2 * h}[profile]
    if resource_type == "ec2_instance":  # network bytes and EBS operations an hour
        if profile == "idle":
            return 1000.0 + 40 * h if metric.startswith("Network") else float(h % 3)
        return 5e7 + 1e6 * h if metric.startswith("Network") else 2000.0 + 100 * h
    if resource_type == "ebs_volume":
        return float(h % 3) if profile == "idle" else 1500.0 + 50 * h
    if resource_type == "rds_instance":
        unused = profile == "unused"
        return {"CPUUtilization": 1.5 if unused else 20.0 + h,
                "DatabaseConnections": 0.0 if unused else 10.0 + h,
                "FreeStorageSpace": spec.attributes["allocated_storage_gib"] * 0.5e9}[metric]
    if resource_type == "load_balancer":
        if profile == "idle":
            return {"RequestCount": 0.0, "HealthyHostCount": 2.0}.get(metric)
        return {"RequestCount": 1000.0 + 50 * h, "TargetResponseTime": 0.05 + h / 1000,
                "HealthyHostCount": 2.0}[metric]
    return {"Invocations": 100.0 + h, "Errors": 1.0 if h == 0 else 0.0, "Duration": 120.0}[metric]  # functions


def first_hour(today: date) -> datetime:
    """00:00 UTC of the first published day: the days are the 14 before ``today``."""
    return datetime.combine(today - timedelta(days=DAYS), time(), UTC)


def demo_series(estate: Estate, resource_ids: ResourceIds) -> list[DemoSeries]:
    """Every series the demo publishes, in a stable order."""
    series = []
    for spec, profile in profiles(estate):
        resource_id, arn = resource_ids[(*spec.key, spec.name)]
        dimension = arn.split(":loadbalancer/", 1)[1] if spec.resource_type == "load_balancer" else resource_id
        for metric in CATALOGUE[spec.resource_type].metrics:
            values = [hourly_value(spec.resource_type, metric, profile, hour, spec) for hour in range(HOURS)]
            if any(value is None for value in values):
                continue
            series.append(DemoSeries(spec.account_id, spec.region, spec.resource_type, resource_id, dimension,
                                     metric, profile, tuple(values)))
    return sorted(series, key=lambda s: (s.account_id, s.region, s.resource_type, s.resource_id, s.metric))


def _datums(series: list[DemoSeries], start: datetime) -> Iterator[dict]:
    for one in series:
        dimensions = [{"Name": CATALOGUE[one.resource_type].dimension, "Value": one.dimension_value}]
        for hour, value in enumerate(one.values):
            yield {"MetricName": one.metric, "Dimensions": dimensions, "Timestamp": start + timedelta(hours=hour),
                   "Value": value}


def publish_demo_metrics(estate: Estate, resource_ids: ResourceIds, endpoint_url: str, today: date) -> int:
    """Put every series into the moto server's CloudWatch, in each resource's account and region, for the 14
    days before ``today``; returns how many values were put."""
    import boto3

    from demo.seeding import account_client

    session = boto3.Session(region_name="us-east-1")
    start, published = first_hour(today), 0
    series = demo_series(estate, resource_ids)
    slices = sorted({(s.account_id, s.region, s.namespace) for s in series})
    for account_id, region, namespace in slices:
        cloudwatch = account_client(endpoint_url, account_id, "cloudwatch", region, session)
        here = [s for s in series if (s.account_id, s.region, s.namespace) == (account_id, region, namespace)]
        datums = list(_datums(here, start))
        for offset in range(0, len(datums), PUT_BATCH):
            cloudwatch.put_metric_data(Namespace=namespace, MetricData=datums[offset : offset + PUT_BATCH])
        published += len(datums)
    return published
