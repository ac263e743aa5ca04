"""A billing slice the gate refuses blocks the cost models only: the inventory still refreshes in the same run,
and billing_slice_status (a view) tells why the costs did not, and which slices loaded with conformance warnings
(so does `cloudforge status`)."""

from __future__ import annotations

import dagster as dg
from dbt_raw_inventory import REQUIRED_TAGS, load_raw_inventory
from support.dbt_manifest import current_manifest
from support.focus_samples import GCP_ACCOUNT, charge, write_csv

from assets.billing.assets import BILLING_ASSETS, FocusSourcesResource
from assets.resources import WarehouseResource
from cloudforge.settings import load_settings
from cloudforge.status import billing_lines
from cloudforge.warehouse import connect, create_database
from pipelines.dbt import build_dbt_assets, dbt_resource

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
    current_manifest()
    url = create_database(warehouse_url, "dbt_domains")
    load_raw_inventory(url)
    good, bad = tmp_path / "good", tmp_path / "bad"
    write_csv(good / "gcp.csv", [charge("gcp", day, "2.50", ChargeCategory="usage") for day in (1, 2)])
    (good / "empty.csv").write_text(",".join(charge()) + "\n")  # a header and no rows
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
            "SELECT slice_key, latest_status, loaded_rows, serves_earlier_load, latest_problem LIKE %s,"
            " latest_warning_count, jsonb_path_query_array(latest_warnings, '$[*].rule')"
            " FROM marts.billing_slice_status ORDER BY slice_key COLLATE \"C\"",
            (f"%rule allowed_values failed in {bad / 'gcp.csv'}%",),
        ).fetchall()
        lines = billing_lines(conn)
    empty = str(good / "empty.csv")
    assert status == [
        (empty, "skipped", None, False, False, 1, ["empty_file"]),
        (f"gcp/{GCP_ACCOUNT}/2024-01", "loaded", 2, False, None, 1, ["allowed_values"]),
        (f"gcp/{GCP_ACCOUNT}/2024-02", "quarantined", None, False, True, 0, []),
    ]
    assert lines[0] == "billing        3 slices: 1 loaded, 1 quarantined, 1 skipped; 2 conformance warnings"
    assert lines[1].startswith(
        f"  gcp/{GCP_ACCOUNT}/2024-02: quarantined (1 rows): rule allowed_values failed in {bad / 'gcp.csv'}: "
    )
    assert lines[2:] == [
        f"  {empty}: rule empty_file (warning), 0 rows",
        f"  gcp/{GCP_ACCOUNT}/2024-01: rule allowed_values (normalised) ChargeCategory, 2 rows",
    ]
