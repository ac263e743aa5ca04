"""Dagster wrappers of the health checks: the resource checks per (account, region), the HTTP endpoint checks
(in the refresh job and every minute on their own schedule, each endpoint at its interval)."""

from __future__ import annotations

import dagster as dg

from assets.aws.resource import AwsInventoryResource
from assets.health.cloud_status import collect_cloud_health
from assets.health.endpoints import run_endpoint_checks
from assets.resources import WarehouseResource
from cloudforge.clock import Clock
from cloudforge.settings import HealthEndpoint

# The resource checks carry the key of the dbt source raw_health.checks and run after the endpoint checks, so the
# dbt models build on both.
RESOURCE_CHECKS = dg.AssetKey(["raw_health", "checks"])
ENDPOINT_CHECKS = dg.AssetKey(["raw_health", "endpoint_checks"])
ENDPOINT_JOB_NAME = "health_endpoint_checks"


@dg.asset(
    key=RESOURCE_CHECKS,
    deps=[ENDPOINT_CHECKS],
    group_name="health",
    kinds={"aws", "postgres"},
    description="EC2 instance and system status, RDS instance status and load balancer target health per "
    "(account, region), appended to raw_health.checks.",
)
def resource_checks(aws_inventory: AwsInventoryResource, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        report = collect_cloud_health(aws_inventory.aws_settings(), conn, aws_inventory.clock())
    metadata = {**report.counts, "slices_ok": report.slices_ok, "slices_failed": len(report.failed),
                "failed": dg.MetadataValue.md("\n".join(f"- {k}: {v}" for k, v in report.failed.items()) or "none")}
    if report.slices_ok == 0 and report.failed:
        raise dg.Failure("no health check slice could be collected", metadata=metadata)
    return dg.MaterializeResult(metadata=metadata)


def build_health_assets(endpoints: list[HealthEndpoint], clock: Clock) -> tuple[list, dg.JobDefinition,
                                                                                 dg.ScheduleDefinition]:
    """The health assets, and the job and every-minute schedule that check the endpoints that are due."""

    @dg.asset(
        key=ENDPOINT_CHECKS,
        group_name="health",
        kinds={"postgres"},
        description="The HTTP endpoints of health.endpoints that are due (their interval passed), checked and "
        "appended to raw_health.checks.",
    )
    def endpoint_checks(warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as conn:
            results = run_endpoint_checks(conn, endpoints, clock.now())
        return dg.MaterializeResult(metadata={
            "checked": len(results),
            "unhealthy": dg.MetadataValue.text(", ".join(r.resource_id for r in results if r.status != "healthy")
                                              or "none"),
        })

    job = dg.define_asset_job(ENDPOINT_JOB_NAME, selection=[ENDPOINT_CHECKS],
                              description="Check the HTTP endpoints whose interval has passed.")
    schedule = dg.ScheduleDefinition(job=job, cron_schedule="* * * * *", execution_timezone="UTC",
                                     default_status=dg.DefaultScheduleStatus.RUNNING if endpoints
                                     else dg.DefaultScheduleStatus.STOPPED)
    return [resource_checks, endpoint_checks], job, schedule
