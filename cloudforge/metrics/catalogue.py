"""The CloudWatch metrics CloudForge knows how to collect, per inventoried resource type.

Each metric is read with one CloudWatch statistic per period: ``Average`` for levels (CPU, connections, free
space, latency), ``Sum`` for counts (bytes, operations, requests). The hourly and daily rollups then take avg,
p95, max and sum over those per-period values. The configuration (``metrics.collect``) names metrics from here;
an unknown name is refused when the settings load.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceMetrics:
    """How one resource type is found in CloudWatch: its namespace, the dimension naming a resource, and the
    metrics it publishes (name -> statistic)."""

    namespace: str
    dimension: str
    metrics: dict[str, str]


CATALOGUE: dict[str, ResourceMetrics] = {
    "ec2_instance": ResourceMetrics("AWS/EC2", "InstanceId", {
        "CPUUtilization": "Average", "NetworkIn": "Sum", "NetworkOut": "Sum",
        "EBSReadOps": "Sum", "EBSWriteOps": "Sum",
    }),
    "rds_instance": ResourceMetrics("AWS/RDS", "DBInstanceIdentifier", {
        "CPUUtilization": "Average", "DatabaseConnections": "Average", "FreeStorageSpace": "Average",
    }),
    # The dimension's value is the ARN's suffix after "loadbalancer/": app/<name>/<id>.
    "load_balancer": ResourceMetrics("AWS/ApplicationELB", "LoadBalancer", {
        "RequestCount": "Sum", "TargetResponseTime": "Average", "HealthyHostCount": "Average",
    }),
    "lambda_function": ResourceMetrics("AWS/Lambda", "FunctionName", {
        "Invocations": "Sum", "Errors": "Sum", "Duration": "Average",
    }),
    "ebs_volume": ResourceMetrics("AWS/EBS", "VolumeId", {"VolumeReadOps": "Sum", "VolumeWriteOps": "Sum"}),
}


def default_collection() -> dict[str, list[str]]:
    """Every metric of the catalogue."""
    return {resource_type: list(known.metrics) for resource_type, known in CATALOGUE.items()}


def unknown_metrics(collect: dict[str, list[str]]) -> list[str]:
    """What in ``collect`` (resource type -> metric names) the catalogue does not know, each said in full."""
    problems = []
    for resource_type, names in collect.items():
        if resource_type not in CATALOGUE:
            problems.append(f"unknown resource type {resource_type!r} (known: {', '.join(CATALOGUE)})")
            continue
        known = CATALOGUE[resource_type].metrics
        problems += [f"{resource_type}: unknown metric {name!r} (known: {', '.join(known)})"
                     for name in names if name not in known]
    return problems
