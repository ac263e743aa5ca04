"""The demo's CloudWatch patterns are what demo/metrics.py declares, at the default seed and size."""

from __future__ import annotations

from collections import Counter

from assets.metrics.alerts import percentile_cont
from demo.estate import generate_estate
from demo.metrics import HOURS, demo_series, expected_profile_counts

ESTATE = generate_estate(42, 300)


def fake_ids() -> dict:
    """Ids as seeding returns them, made up: the patterns do not depend on them."""
    return {(*spec.key, spec.name): (f"id-{n}", f"arn:aws:elasticloadbalancing:x:1:loadbalancer/app/{spec.name}/{n}")
            for n, spec in enumerate(ESTATE.resources)}


def test_the_declared_counts_at_the_default_size() -> None:
    counts = expected_profile_counts(ESTATE)
    assert {key: n for key, n in counts.items() if key[0] != "ebs_volume"} == {
        ("ec2_instance", "overloaded"): 1, ("ec2_instance", "idle"): 3, ("ec2_instance", "low"): 4,
        ("ec2_instance", "busy"): 26, ("rds_instance", "unused"): 1, ("rds_instance", "busy"): 11,
        ("load_balancer", "idle"): 1, ("load_balancer", "busy"): 5, ("lambda_function", "busy"): 18,
    }
    running = [s for s in ESTATE.of_type("ec2_instance") if s.attributes["state"] == "running"]
    assert sum(n for (kind, _), n in counts.items() if kind == "ec2_instance") == len(running) == 34


def test_each_pattern_meets_the_condition_it_stands_for() -> None:
    series = demo_series(ESTATE, fake_ids())
    assert all(len(one.values) == HOURS for one in series)
    p95 = {(one.resource_type, one.profile, one.metric): percentile_cont(list(one.values), 0.95) for one in series}
    assert p95[("ec2_instance", "idle", "CPUUtilization")] < 5
    assert p95[("ec2_instance", "idle", "NetworkIn")] < 5_000 and p95[("ec2_instance", "idle", "NetworkOut")] < 5_000
    assert 5 <= p95[("ec2_instance", "low", "CPUUtilization")] < 20
    assert min(v for one in series if one.profile == "overloaded" and one.metric == "CPUUtilization"
               for v in one.values) > 90
    assert p95[("ec2_instance", "busy", "CPUUtilization")] >= 20
    assert {v for one in series if one.profile == "unused" and one.metric == "DatabaseConnections"
            for v in one.values} == {0.0}
    assert {v for one in series if one.resource_type == "load_balancer" and one.profile == "idle"
            and one.metric == "RequestCount" for v in one.values} == {0.0}
    # an idle load balancer has no response times to report
    assert Counter((one.resource_type, one.metric) for one in series if one.profile == "idle"
                   and one.resource_type == "load_balancer") == {("load_balancer", "RequestCount"): 1,
                                                                  ("load_balancer", "HealthyHostCount"): 1}
