"""The Dagster code location: every asset, check, job and schedule, with their resources.

`workspace.yaml` loads this module; Dagster calls `defs()` when it loads the location, so nothing here
connects or parses at import time.
"""

from __future__ import annotations

import dagster as dg

from assets.aws.assets import AWS_INVENTORY_ASSETS, AWS_INVENTORY_CHECKS
from assets.aws.resource import AwsInventoryResource
from assets.billing.alerts import COST_ALERT_ASSETS
from assets.billing.assets import BILLING_ASSETS, FocusSourcesResource
from assets.policies.assets import build_policy_assets, build_policy_automation_sensor
from assets.resources import WarehouseResource
from cloudforge.settings import Settings, load_settings
from cloudforge.warehouse import database_url
from demo.billing_exports import demo_sources
from pipelines.dbt import build_dbt_assets, dbt_resource
from pipelines.run_lock import run_locked
from pipelines.sensors import AlertNotifiersResource, alert_delivery_sensor

REFRESH_JOB_NAME = "refresh_everything"


def build_definitions(settings: Settings) -> dg.Definitions:
    """Assets from the cloud APIs to the marts, one job that refreshes them all, and its daily schedule."""
    refresh = dg.define_asset_job(
        REFRESH_JOB_NAME,
        selection=dg.AssetSelection.all(),
        description="Ingest every source, then build every dbt model and test (one run at a time).",
        executor_def=run_locked(lambda: database_url(settings)),
    )
    demo_mode = settings.aws.mode == "demo"
    aws_endpoint_url = demo_cloud_endpoint(settings) if demo_mode else None
    return dg.Definitions(
        assets=[*AWS_INVENTORY_ASSETS, *BILLING_ASSETS, build_policy_assets(settings), *build_dbt_assets(settings),
                *COST_ALERT_ASSETS],
        asset_checks=AWS_INVENTORY_CHECKS,
        jobs=[refresh],
        schedules=[dg.ScheduleDefinition(job=refresh, cron_schedule="0 6 * * *", execution_timezone="UTC")],
        sensors=[alert_delivery_sensor, build_policy_automation_sensor()],
        resources={
            "aws_inventory": AwsInventoryResource(endpoint_url=aws_endpoint_url),
            "warehouse": WarehouseResource(),
            "focus_sources": FocusSourcesResource(
                sources=demo_sources(settings.state_dir) if demo_mode else [],
                s3_endpoint_url=aws_endpoint_url if demo_mode else None,
                max_expanded_bytes=settings.billing.max_expanded_bytes,
                follow_symlinks=settings.billing.follow_symlinks,
            ),
            "dbt": dbt_resource(),
            "alert_notifiers": AlertNotifiersResource(),
        },
    )


def demo_cloud_endpoint(settings: Settings) -> str | None:
    """The demo cloud's endpoint: the configured one (the local stack sets it for what it spawns), else that of
    the demo cloud `cloudforge demo` or `run` left running for the state directory (`dagster dev` started by
    hand; it is looked up when Dagster loads the definitions)."""
    if settings.aws.endpoint_url:
        return settings.aws.endpoint_url
    from demo.cloud import find_embedded_cloud

    cloud = find_embedded_cloud(settings.state_dir)
    return cloud.endpoint_url if cloud else None


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
