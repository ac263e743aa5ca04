"""The Dagster code location: every asset, check, job and schedule, with their resources.

`workspace.yaml` loads this module; Dagster calls `defs()` when it loads the location, so nothing here
connects or parses at import time. Every resource is built from the ``Settings`` given to
``build_definitions``; nothing below this module reads settings itself.
"""

from __future__ import annotations

import os

import dagster as dg
from pydantic import SecretStr

from assets.aws.assets import AWS_INVENTORY_ASSETS, AWS_INVENTORY_CHECKS, RESOURCES_KEY
from assets.aws.resource import AwsInventoryResource
from assets.billing.alerts import build_cost_alert_assets
from assets.billing.api_assets import build_api_billing_assets
from assets.billing.assets import BILLING_ASSETS, FOCUS_CHARGES, FocusSourcesResource
from assets.health.assets import RESOURCE_CHECKS, build_health_assets
from assets.health.freshness_alerts import build_freshness_alert_asset
from assets.metrics.assets import ROLLUPS_KEY, build_metrics_assets
from assets.policies.assets import build_policy_assets, build_policy_automation_sensor
from assets.resources import WarehouseResource
from assets.terraform.assets import build_terraform_assets
from assets.terraform.drift_alerts import build_drift_alert_assets
from cloudforge.settings import HealthEndpoint, Settings, load_settings
from cloudforge.warehouse import database_url
from pipelines.dbt import build_dbt_assets, dbt_resource
from pipelines.provisioning import build_provision_job
from pipelines.run_lock import run_locked
from pipelines.sensors import build_alert_delivery_sensor, build_provisioning_sensor

REFRESH_JOB_NAME = "refresh_everything"
DATABASE_URL_VARIABLE = "CLOUDFORGE_DATABASE_URL"


def build_definitions(settings: Settings) -> dg.Definitions:
    """Assets from the cloud APIs to the marts, one job that refreshes them all, and its daily schedule."""
    settings = with_embedded_timeseries(with_demo_cloud(settings))
    if settings.aws.mode == "demo":
        from demo.terraform_states import with_demo_states

        settings = with_demo_states(settings)
    refresh = dg.define_asset_job(
        REFRESH_JOB_NAME,
        selection=dg.AssetSelection.all(),
        description="Ingest every source, then build every dbt model and test (one run at a time).",
        executor_def=run_locked(lambda: database_url(settings)),
    )
    owner_url = secret(settings.database_url, DATABASE_URL_VARIABLE)
    terraform_assets, terraform_checks = build_terraform_assets(settings.terraform, settings.aws, settings.clock)
    provision = build_provision_job(settings)
    metrics_assets, metrics_checks = build_metrics_assets(settings.metrics, settings.clock)
    health_assets, endpoint_job, endpoint_schedule = build_health_assets(health_endpoints(settings), settings.clock)
    freshness_deps = [RESOURCES_KEY, FOCUS_CHARGES, RESOURCE_CHECKS, ROLLUPS_KEY]
    return dg.Definitions(
        assets=[*AWS_INVENTORY_ASSETS, *BILLING_ASSETS, *build_api_billing_assets(settings.billing, settings.clock),
                *terraform_assets,
                build_policy_assets(settings), *build_dbt_assets(settings),
                *build_cost_alert_assets(settings.costs, settings.clock),
                *metrics_assets, *health_assets, build_freshness_alert_asset(settings, freshness_deps),
                *build_drift_alert_assets(settings.clock)],
        asset_checks=[*AWS_INVENTORY_CHECKS, *terraform_checks, *metrics_checks],
        jobs=[refresh, provision, endpoint_job],
        schedules=[dg.ScheduleDefinition(job=refresh, cron_schedule="0 6 * * *", execution_timezone="UTC"),
                   endpoint_schedule],
        sensors=[build_alert_delivery_sensor(settings), build_policy_automation_sensor(),
                 build_provisioning_sensor(provision, settings)],
        resources={
            "aws_inventory": AwsInventoryResource.from_settings(settings),
            "warehouse": WarehouseResource(database_url=owner_url, state_dir=str(settings.state_dir)),
            "focus_sources": focus_sources(settings),
            "dbt": dbt_resource(owner_url or dg.EnvVar(DATABASE_URL_VARIABLE)),
        },
    )


def secret(value: SecretStr | None, variable: str) -> str | dg.EnvVar | None:
    """A secret for a resource field: by the name of the environment variable that holds it, so Dagster shows
    the name and never the value; the value itself only when it came from elsewhere (a test's settings)."""
    if value is None:
        return None
    if os.environ.get(variable) == value.get_secret_value():
        return dg.EnvVar(variable)
    return value.get_secret_value()


def focus_sources(settings: Settings) -> FocusSourcesResource:
    """The configured FOCUS directories and prefixes; in demo mode with no billing source configured, the
    demo billing published in the demo cloud's S3 and the state directory."""
    billing = settings.billing
    sources, s3_endpoint_url = billing.focus, billing.s3_endpoint_url
    if not billing.configured and settings.aws.mode == "demo":
        from demo.billing_exports import demo_sources

        sources, s3_endpoint_url = demo_sources(settings.state_dir), s3_endpoint_url or settings.aws.endpoint_url
    return FocusSourcesResource(
        sources=sources,
        s3_endpoint_url=s3_endpoint_url,
        max_expanded_bytes=billing.max_expanded_bytes,
        follow_symlinks=billing.follow_symlinks,
    )


def health_endpoints(settings: Settings) -> list[HealthEndpoint]:
    """The configured HTTP endpoints; in demo mode with none configured, the demo's two on the demo cloud."""
    if settings.health.endpoints or settings.aws.mode != "demo" or not settings.aws.endpoint_url:
        return settings.health.endpoints
    from demo.health import demo_endpoints

    return demo_endpoints(settings.aws.endpoint_url)


def with_demo_cloud(settings: Settings) -> Settings:
    """Demo mode without an endpoint (a `dagster dev` started by hand; the local stack sets the endpoint for
    what it starts): the settings with the endpoint of the demo cloud `cloudforge demo` or `run` left running for
    the state directory, found when Dagster loads the definitions."""
    if settings.aws.mode != "demo" or settings.aws.endpoint_url:
        return settings
    from demo.cloud import find_embedded_cloud

    if (cloud := find_embedded_cloud(settings.state_dir)) is None:
        return settings
    return settings.model_copy(update={"aws": settings.aws.model_copy(update={"endpoint_url": cloud.endpoint_url})})


def with_embedded_timeseries(settings: Settings) -> Settings:
    """Embedded metrics without a URL (a `dagster dev` started by hand): the settings with the URL of the
    time-series server `cloudforge demo` or `run` left running for the state directory, if any."""
    if settings.metrics.mode != "embedded" or settings.metrics.url:
        return settings
    from cloudforge.local.timeseries import find_embedded_timeseries

    if (server := find_embedded_timeseries(settings.state_dir)) is None:
        return settings
    return settings.model_copy(update={"metrics": settings.metrics.model_copy(update={"url": server.url})})


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(load_settings())
