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
    return dg.Definitions(
        assets=[*AWS_INVENTORY_ASSETS, *BILLING_ASSETS, build_policy_assets(settings), *build_dbt_assets(settings),
                *COST_ALERT_ASSETS],
        asset_checks=AWS_INVENTORY_CHECKS,
        jobs=[refresh],
        schedules=[dg.ScheduleDefinition(job=refresh, cron_schedule="0 6 * * *", execution_timezone="UTC")],
        sensors=[alert_delivery_sensor, build_policy_automation_sensor()],
        resources={
            "aws_inventory": AwsInventoryResource(),
            "warehouse": WarehouseResource(),
            "focus_sources": FocusSourcesResource(
                max_expanded_bytes=settings.billing.max_expanded_bytes,
                follow_symlinks=settings.billing.follow_symlinks,
            ),
            "dbt": dbt_resource(),
            "alert_notifiers": AlertNotifiersResource(),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
