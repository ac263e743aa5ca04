"""The inventory part of a `cloudforge run`, for tests that refresh it more than once (its history): the AWS
inventory asset and the dbt build of the history and relationship marts with what they read (staging,
marts.resources, the inventory snapshot), on the clock of the settings given."""

from __future__ import annotations

from dagster import AssetKey, AssetSelection, ExecuteInProcessResult, materialize

from assets.aws.assets import AWS_INVENTORY_ASSETS, RESOURCES_KEY
from assets.aws.resource import AwsInventoryResource
from assets.resources import WarehouseResource
from cloudforge.settings import Settings
from pipelines.dbt import build_dbt_assets, dbt_resource
from support.dbt_manifest import current_manifest

HISTORY_MARTS = (AssetKey(["marts", "resource_changes"]), AssetKey(["marts", "resource_relationships"]))


def refresh_inventory(url: str, settings: Settings, *, sync: bool = True) -> ExecuteInProcessResult:
    """Sync the inventory into ``url`` (unless ``sync`` is false: the raw rows are already there), then
    `dbt build` the history and relationship marts; raises if a step fails."""
    current_manifest()  # parsed once a session
    dbt_assets = build_dbt_assets(settings)
    inventory_models = next(assets for assets in dbt_assets if assets.op.name == "dbt_inventory")
    selection = AssetSelection.assets(*HISTORY_MARTS).upstream() & AssetSelection.assets(*inventory_models.keys)
    if sync:
        selection |= AssetSelection.assets(RESOURCES_KEY)
    return materialize(
        [*AWS_INVENTORY_ASSETS, *dbt_assets],
        selection=selection,
        resources={
            "aws_inventory": AwsInventoryResource.from_settings(settings),
            "warehouse": WarehouseResource(database_url=url),
            "dbt": dbt_resource(url),
        },
    )
