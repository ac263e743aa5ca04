"""A billing slice the gate refuses blocks the cost models only: the inventory still refreshes in the same run,
and billing_slice_status (a view) tells why the costs did not."""

from __future__ import annotations

import dagster as dg
from dbt_raw_inventory import REQUIRED_TAGS, load_raw_inventory
from support.focus_samples import GCP_ACCOUNT, charge, write_csv

from assets.billing.assets import BILLING_ASSETS, FocusSourcesResource
from assets.resources import WarehouseResource
from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, create_database
from pipelines.dbt import build_dbt_assets, dbt_resource, prepare_dbt_manifest

SLICE_STATUS = dg.AssetKey(["marts", "billing_slice_status"])
TAG_COVERAGE = dg.AssetKey(["marts", "tag_coverage"])
COST_DAILY = dg.AssetKey(["marts", "cost_daily"])


def refresh(url: str, selection: dg.AssetSelection, *sources: str) -> dg.ExecuteInProcessResult:
    """The billing asset and the dbt domains in one run, as `cloudforge run` has them."""
    resources = {
        "warehouse": WarehouseResource(database_url=url),
        "focus_sources": FocusSourcesResource(sources=list(sources)),
        "dbt": dbt_resource(url),
    }
    assets = [*BILLING_ASSETS, *build_dbt_assets(load_settings(tags={"required": REQUIRED_TAGS}))]
    billing = dg.AssetSelection.assets(*BILLING_ASSETS)
    return dg.materialize(assets, selection=billing | selection, resources=resources, raise_on_error=False)


def test_a_refused_slice_skips_the_cost_models_and_the_inventory_still_refreshes(warehouse_url, tmp_path):
    prepare_dbt_manifest()
    url = create_database(warehouse_url, "dbt_domains")
    load_raw_inventory(url)
    good, bad = tmp_path / "good", tmp_path / "bad"
    write_csv(good / "gcp.csv", [charge("gcp", day, "2.50") for day in (1, 2)])
    write_csv(bad / "gcp.csv", [charge("gcp", 3, "1.00", month=2, ChargeCategory="Usagee")])

    first = refresh(url, dg.AssetSelection.assets(SLICE_STATUS).upstream(), str(good))
    second = refresh(url, dg.AssetSelection.assets(TAG_COVERAGE, COST_DAILY).upstream(), str(good), str(bad))

    assert first.success
    assert not second.success
    assert [check.passed for check in second.get_asset_check_evaluations()
            if check.check_name == "focus_slices_valid"] == [False]
    materialized = {event.asset_key for event in second.get_asset_materialization_events()}
    assert TAG_COVERAGE in materialized and COST_DAILY not in materialized
    with connect(url) as conn:
        status = conn.execute(
            "SELECT slice_key, latest_status, loaded_rows, serves_earlier_load, latest_problem LIKE %s"
            " FROM marts.billing_slice_status ORDER BY slice_key",
            (f"%rule allowed_values failed in {bad / 'gcp.csv'}%",),
        ).fetchall()
    assert status == [
        (f"gcp/{GCP_ACCOUNT}/2024-01", "loaded", 2, False, None),
        (f"gcp/{GCP_ACCOUNT}/2024-02", "quarantined", None, False, True),
    ]
