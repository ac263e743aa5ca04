"""The metrics asset beside the inventory in one Dagster run: without a time-series server it fails and says why,
and the inventory still loads."""

from __future__ import annotations


import dagster as dg
import pytest

from assets.aws.assets import AWS_INVENTORY_ASSETS
from assets.aws.resource import AwsInventoryResource
from assets.metrics.assets import build_metrics_assets
from assets.resources import WarehouseResource
from cloudforge.clock import Clock
from cloudforge.settings import MetricsSettings, load_settings
from cloudforge.warehouse import connect

ACCOUNT = "520000000002"


@pytest.mark.parametrize(("metrics", "message"), [
    ({"mode": "disabled"}, "metrics.mode is disabled: there is no time-series server to collect metrics into"),
    ({"url": "http://127.0.0.1:9"}, "metrics not collected: the time-series server at http://127.0.0.1:9 does not "
                                    "answer"),
])
def test_without_a_time_series_server_the_metrics_asset_fails_clearly_and_the_inventory_loads(
    database: str, moto_endpoint: str, clock: Clock, metrics: dict, message: str
) -> None:
    settings = load_settings(aws={"regions": ["us-east-1"], "endpoint_url": moto_endpoint, "accounts": [
        {"id": ACCOUNT, "role_arn": f"arn:aws:iam::{ACCOUNT}:role/CloudForgeReadOnly"}]})
    assets, checks = build_metrics_assets(MetricsSettings(**metrics), clock)
    result = dg.materialize(
        [*AWS_INVENTORY_ASSETS, *assets], raise_on_error=False,
        resources={"aws_inventory": AwsInventoryResource.from_settings(settings),
                   "warehouse": WarehouseResource(database_url=database)},
    )
    failures = [event for event in result.all_events if event.is_step_failure]
    assert [event.step_key for event in failures] == ["raw_metrics__rollups"]
    assert message in failures[0].step_failure_data.error.message
    assert result.asset_materializations_for_node("raw_aws__resources")  # the inventory loaded
    with connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM raw_aws.sync_slices WHERE status = 'ok'").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM raw_metrics.collection_slices").fetchone() == (0,)
