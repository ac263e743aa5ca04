"""The dbt project as Dagster assets: keys mirror the warehouse, the raw source is the ingestion asset."""

import json
import os
import shutil

import pytest
from dagster import AssetKey
from dagster_dbt import DbtProject

from cloudforge.settings import load_settings
from pipelines.dbt import DBT_PROJECT_DIR, build_dbt_assets, dbt_vars, environment, prepare_dbt_manifest

STAGING_MODELS = {
    f"stg_aws__{entity}"
    for entity in ("ec2_instances", "ebs_volumes", "ebs_snapshots", "elastic_ips", "security_groups", "vpcs",
                   "subnets", "s3_buckets", "rds_instances", "iam_users", "iam_roles", "lambda_functions",
                   "load_balancers", "kms_keys", "iam_password_policies", "cloudwatch_log_groups",
                   "cloudtrail_trails", "iam_accounts", "iam_policies", "iam_server_certificates", "network_acls",
                   "ebs_encryption_defaults", "config_recorders", "security_hubs", "guardduty_detectors",
                   "efs_file_systems", "cloudtrail_accounts", "access_analyzers")
}


def test_keys_are_schema_and_relation_groups_are_layers_and_each_domain_is_a_step():
    inventory = {  # with the provisioning ledger: marts.resources names the request that created a resource
        **{AssetKey(["staging", name]): "staging"
           for name in STAGING_MODELS | {"tag_key_synonyms", "cis_recommendations", "terraform_resource_types",
                                         "aws_instance_prices", "aws_unit_prices", "ec2_previous_generation_families",
                                         "stg_provisioning__requests", "stg_provisioning__nodes"}},
        **{AssetKey(["intermediate", name]): "intermediate"
           for name in ("int_aws__resources_unioned", "int_resource_tags_mapped",
                        "int_resource_tags_resolved", "int_provisioning__nodes_inventoried")},
        **{AssetKey(["marts", name]): "marts"
           for name in ("resources", "resource_tags", "missing_required_tags", "tag_coverage", "resource_changes",
                        "resource_relationships", "provisioned_resources")},
        AssetKey(["snapshots", "resources_snapshot"]): "snapshots",
    }
    compliance = {  # the policy run's raw_policies tables to the compliance marts
        **{AssetKey(["staging", f"stg_policies__{entity}"]): "staging"
           for entity in ("findings", "policies", "waivers", "mapping_errors", "evaluation_runs")},
        **{AssetKey(["intermediate", name]): "intermediate"
           for name in ("int_policy_controls", "int_policy_evaluations", "int_control_policies")},
        **{AssetKey(["marts", f"compliance_{name}"]): "marts" for name in ("findings", "posture", "trend", "waivers", "recommendations")},
        AssetKey(["snapshots", "policy_findings_snapshot"]): "snapshots",
    }
    finance = {  # the FOCUS billing to the cost marts
        **{AssetKey(["staging", f"stg_billing__{entity}"]): "staging" for entity in ("focus_charges", "slice_loads")},
        **{AssetKey(["intermediate", f"int_cost_{name}"]): "intermediate"
           for name in ("shared_pools", "pool_shares", "tag_rules", "account_defaults", "budgets", "anomaly_scores",
                        "day_versions")},
        **{AssetKey(["marts", name]): "marts"
           for name in ("cost_daily", "cost_attribution", "cost_allocation_parts", "cost_allocation",
                        "cost_reconciliation", "budget_status", "cost_forecast", "cost_anomalies", "billing_slice_status",
                        "billing_line_items")},
    }
    drift = {  # the Terraform states against the inventory
        **{AssetKey(["staging", f"stg_terraform__{entity}"]): "staging" for entity in ("declared_resources", "states")},
        **{AssetKey(["intermediate", f"int_drift__{name}"]): "intermediate"
           for name in ("declared_resources", "live_resources", "resource_pairs", "attribute_differences",
                        "ignore_rules")},
        **{AssetKey(["marts", f"drift_{name}"]): "marts"
           for name in ("resources", "attributes", "coverage", "coverage_history")},
    }
    monitoring = {  # health checks, metric rollups and the outbox to health and recommendations
        **{AssetKey(["staging", name]): "staging"
           for name in ("stg_alerts__outbox", "stg_health__check_slices", "stg_health__checks", "stg_metrics__rollups")},
        **{AssetKey(["intermediate", name]): "intermediate"
           for name in ("int_metric_windows", "int_recommendation_candidates", "int_resource_monthly_costs")},
        **{AssetKey(["marts", name]): "marts"
           for name in ("firing_alerts", "health_history", "health_status", "recommendations")},
    }
    domains = {assets.node_def.name: dict(assets.group_names_by_key) for assets in build_dbt_assets(load_settings())}
    assert domains == {"dbt_inventory": inventory, "dbt_compliance": compliance, "dbt_finance": finance,
                       "dbt_monitoring": monitoring, "dbt_drift": drift}


def test_staging_models_depend_on_the_raw_ingestion_asset():
    deps = {key: upstream for assets in build_dbt_assets(load_settings()) for key, upstream in assets.asset_deps.items()}
    raw = AssetKey(["raw_aws", "resources"])
    assert {key.path[1] for key, upstream in deps.items() if raw in upstream} == STAGING_MODELS
    assert deps[AssetKey(["intermediate", "int_resource_tags_mapped"])] == {
        AssetKey(["intermediate", "int_aws__resources_unioned"]), AssetKey(["staging", "tag_key_synonyms"])
    }
    assert deps[AssetKey(["marts", "tag_coverage"])] == {
        AssetKey(["marts", "resources"]), AssetKey(["marts", "missing_required_tags"])
    }


def test_vars_carry_the_required_tags_the_cost_config_and_today_from_settings():
    settings = load_settings(tags={"required": ["team", "cost-center"]}, costs={"budgets": []},
                             clock={"today": "2028-02-29"})
    carried = json.loads(json.dumps(dbt_vars(settings)))
    assert carried["required_tags"] == ["team", "cost-center"]
    assert carried["costs"] == settings.costs.model_dump(mode="json") and carried["costs"]["budgets"] == []
    assert carried["today"] == "2028-02-29"


def test_environment_is_set_only_inside_the_block(monkeypatch):
    monkeypatch.delenv("CLOUDFORGE_DB_HOST", raising=False)
    monkeypatch.setenv("CLOUDFORGE_DB_NAME", "before")
    with environment({"CLOUDFORGE_DB_HOST": "/tmp/socket-dir", "CLOUDFORGE_DB_NAME": "inventory"}):
        inside = (os.environ["CLOUDFORGE_DB_HOST"], os.environ["CLOUDFORGE_DB_NAME"])
    assert inside == ("/tmp/socket-dir", "inventory")
    assert "CLOUDFORGE_DB_HOST" not in os.environ
    assert os.environ["CLOUDFORGE_DB_NAME"] == "before"


def test_a_broken_project_fails_to_parse_with_dbt_saying_where(tmp_path):
    project_dir = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, project_dir, ignore=shutil.ignore_patterns("target", "logs"))
    (project_dir / "models" / "broken.sql").write_text("select * from {{ ref('nowhere') }}")
    with pytest.raises(RuntimeError, match=r"(?s)dbt parse failed in .*broken.*nowhere"):
        prepare_dbt_manifest(DbtProject(project_dir))
    assert not (project_dir / "target" / "manifest.json").exists()
