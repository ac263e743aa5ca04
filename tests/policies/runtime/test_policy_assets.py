"""The policy run in the Dagster graph: after the inventory, before the compliance marts, on every refresh."""

from __future__ import annotations

import dagster as dg
import pytest
from support.dbt_manifest import current_manifest

from assets.policies.assets import TABLES
from cloudforge.settings import load_settings
from pipelines.definitions import REFRESH_JOB_NAME, build_definitions

RAW_RESOURCES = dg.AssetKey(["raw_aws", "resources"])


@pytest.fixture(scope="module")
def definitions() -> dg.Definitions:
    current_manifest()  # the dbt assets as the project stands now, as the CLI loads them
    return build_definitions(load_settings())


def test_the_policy_tables_follow_the_inventory_and_feed_the_compliance_marts(definitions):
    graph = definitions.resolve_asset_graph()
    assert set(TABLES) == {
        dg.AssetKey(["raw_policies", name])
        for name in ("findings", "policies", "waivers", "mapping_errors", "evaluation_runs")
    }
    for key in TABLES:
        node = graph.get(key)
        assert node.parent_keys == {RAW_RESOURCES}
        # eager: a materialisation of raw_aws/resources by any job or sensor requests a policy run
        assert node.automation_condition.get_label() == "eager"
    compliance = {key for key in graph.get_all_asset_keys() if key.path[-1].startswith("compliance_")}
    assert compliance == {
        dg.AssetKey(["marts", f"compliance_{name}"])
        for name in ("findings", "posture", "trend", "waivers", "recommendations")
    }
    for mart in compliance:
        assert TABLES.keys() & dg.AssetSelection.assets(mart).upstream().resolve(graph), mart
    snapshot = dg.AssetKey(["snapshots", "policy_findings_snapshot"])
    assert dg.AssetKey(["raw_policies", "findings"]) in graph.get(snapshot).parent_keys
    assert set(TABLES) <= set(definitions.resolve_job_def(REFRESH_JOB_NAME).asset_layer.selected_asset_keys)


def test_the_policy_run_reports_its_checks(definitions):
    checks = {
        (key.asset_key.path[-1], key.name) for key in definitions.resolve_asset_graph().asset_check_keys
    }
    assert {("mapping_errors", "documents_mapped"), ("waivers", "waivers_name_known_policies")} <= checks


def test_the_eager_condition_is_evaluated_from_the_start(definitions):
    sensor = definitions.resolve_sensor_def("policy_automation_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    graph = definitions.resolve_asset_graph()
    assert sensor.asset_selection.resolve(graph) == set(TABLES)


def test_an_inventory_refresh_outside_the_refresh_job_requests_a_policy_run(definitions):
    with dg.DagsterInstance.ephemeral() as instance:
        first = dg.evaluate_automation_conditions(defs=definitions, instance=instance)
        instance.report_runless_asset_event(dg.AssetMaterialization(RAW_RESOURCES))
        after = dg.evaluate_automation_conditions(defs=definitions, instance=instance, cursor=first.cursor)
    assert first.total_requested == 0  # nothing to evaluate before the inventory exists
    assert {key for key in TABLES if after.get_num_requested(key) == 1} == set(TABLES)
