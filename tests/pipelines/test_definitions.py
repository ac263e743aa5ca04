"""The Dagster code location loads as `dagster dev` would load it, with the graph from boto3 to the marts."""

from __future__ import annotations

import dagster as dg

from cloudforge.settings import load_settings
from pipelines.definitions import REFRESH_JOB_NAME, build_definitions


def test_definitions_load_with_the_inventory_graph():
    definitions = build_definitions(load_settings())
    dg.Definitions.validate_loadable(definitions)
    graph = definitions.resolve_asset_graph()
    raw = dg.AssetKey(["raw_aws", "resources"])
    marts = {key for key in graph.get_all_asset_keys() if key.path[0] == "marts"}
    assert marts == {dg.AssetKey(["marts", name]) for name in
                     ("resources", "resource_tags", "tag_coverage", "missing_required_tags", "resource_changes",
                      "resource_relationships",
                      "compliance_findings", "compliance_posture", "compliance_trend", "compliance_waivers",
                      "compliance_recommendations",
                      "cost_daily", "cost_attribution", "cost_allocation_parts", "cost_allocation",
                      "cost_reconciliation", "budget_status", "cost_forecast", "cost_anomalies", "billing_slice_status",
                      "billing_line_items", "recommendations", "health_status", "health_history", "firing_alerts",
                      "drift_resources", "drift_attributes", "drift_coverage", "drift_coverage_history",
                      "provisioned_resources")}
    billing = {dg.AssetKey(["raw_billing", table]) for table in ("focus_charges", "load_log")}
    for mart in marts:  # every mart is downstream of the ingestion assets it reads: boto3, FOCUS billing
        upstream = dg.AssetSelection.assets(mart).upstream().resolve(graph)
        assert raw in upstream or mart.path[1] in ("billing_slice_status", "billing_line_items", "firing_alerts"), mart
        assert billing & upstream or not mart.path[1].startswith(("cost_", "budget_", "billing_")), mart
    refresh = definitions.resolve_job_def(REFRESH_JOB_NAME)
    assert refresh.executor_def.name == "run_locked_multi_or_in_process_executor"  # one run at a time
    schedules = {schedule.job_name: schedule for schedule in definitions.schedules}
    assert (schedules[REFRESH_JOB_NAME].cron_schedule, schedules[REFRESH_JOB_NAME].execution_timezone) == (
        "0 6 * * *", "UTC")
    assert schedules["health_endpoint_checks"].cron_schedule == "* * * * *"  # each endpoint at its interval


def test_every_resource_is_built_from_the_settings_given_not_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", "postgresql://elsewhere/ignored")
    monkeypatch.setenv("CLOUDFORGE_AWS__REGIONS", '["ap-south-1"]')
    url = "postgresql://cloudforge@warehouse.example/cloudforge"
    settings = load_settings(
        database_url=url,
        state_dir=tmp_path,
        aws={"mode": "real", "regions": ["eu-central-1"], "accounts": [{"id": "123456789012"}]},
        billing={"focus": ["s3://acme-billing/focus/"], "s3_endpoint_url": "http://s3.example"},
    )
    resources = build_definitions(settings).resources

    assert resources["warehouse"].url() == url
    assert resources["dbt"].warehouse_url == url
    aws = resources["aws_inventory"].aws_settings()
    assert (aws.mode, aws.regions, [account.id for account in aws.accounts]) == (
        "real", ["eu-central-1"], ["123456789012"]
    )
    assert (resources["focus_sources"].sources, resources["focus_sources"].s3_endpoint_url) == (
        ["s3://acme-billing/focus/"], "http://s3.example"
    )


def test_a_database_url_from_the_environment_reaches_dagster_by_its_name_only(monkeypatch):
    url = "postgresql://cloudforge:s3cret@warehouse.example/cloudforge"
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", url)
    resources = build_definitions(load_settings()).resources

    assert resources["warehouse"].database_url == dg.EnvVar("CLOUDFORGE_DATABASE_URL")
    assert resources["dbt"].warehouse_url == dg.EnvVar("CLOUDFORGE_DATABASE_URL")


def test_demo_mode_points_the_resources_at_the_demo_cloud_and_its_billing(tmp_path):
    """The endpoint comes from the settings the application layer gives; the assets know nothing of the demo."""
    endpoint = "http://127.0.0.1:4566"
    settings = load_settings(state_dir=tmp_path, aws={"mode": "demo", "endpoint_url": endpoint})
    resources = build_definitions(settings).resources

    assert resources["aws_inventory"].aws_settings().endpoint_url == endpoint
    assert (resources["focus_sources"].sources, resources["focus_sources"].s3_endpoint_url) == (
        ["s3://cloudforge-billing-exports/focus/", str(tmp_path / "billing")], endpoint
    )


def test_declared_state_is_wired_only_when_state_sources_are_configured(tmp_path):
    declared = dg.AssetKey(["raw_terraform", "declared_resources"])
    # (in demo mode with a demo cloud, the demo's states are the source: see the test below)
    # (the dbt drift models read it as a source either way: it is in the graph, materialisable only when wired)
    graph = build_definitions(load_settings(aws={"mode": "real"})).resolve_asset_graph()
    without = {key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    settings = load_settings(aws={"mode": "real"}, terraform={"state_sources": [str(tmp_path)]})
    definitions = build_definitions(settings)
    dg.Definitions.validate_loadable(definitions)
    assert declared not in without
    assert declared in definitions.resolve_asset_graph().get_all_asset_keys()
    checks = {key.name for key in definitions.resolve_asset_graph().asset_check_keys if key.asset_key == declared}
    assert checks == {"terraform_single_declaration", "terraform_states_ok"}


def test_demo_mode_reads_the_demo_states_with_the_demo_ignore_rules(tmp_path):
    from demo.estate import generate_estate
    from demo.terraform_states import demo_state_source, plan_drift, with_demo_states

    settings = load_settings(state_dir=tmp_path, aws={"mode": "demo", "endpoint_url": "http://127.0.0.1:4566"})
    definitions = build_definitions(settings)
    graph = definitions.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["raw_terraform", "declared_resources"])).is_materializable
    demo = with_demo_states(settings)
    assert demo.terraform.state_sources == [demo_state_source()]
    assert demo.drift.ignore == list(plan_drift(generate_estate(settings.demo.seed, settings.demo.size)).ignore)
    configured = load_settings(state_dir=tmp_path, aws={"mode": "demo", "endpoint_url": "http://127.0.0.1:4566"},
                               drift={"ignore": [{"type": "vpc", "reason": "networks are out of scope"}]})
    assert [rule.type for rule in with_demo_states(configured).drift.ignore] == ["vpc"]
