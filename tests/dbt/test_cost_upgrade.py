"""Upgrading a warehouse built by the previous release: the pipeline's dbt step rebuilds the cost models whose
tables are outdated in full, with no --full-refresh from anyone, and says so in the run log."""

import pytest
from dagster import AssetKey, AssetSelection, DagsterInstance, materialize
from dbt_raw_billing import COSTS
from dbt_raw_inventory import REQUIRED_TAGS
from test_cost_models import cost_tables, rows

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect
from pipelines.dbt import build_dbt_assets, dbt_resource

FINANCE = AssetSelection.assets(*(AssetKey(["marts", name]) for name in (
    "cost_daily", "cost_attribution", "cost_allocation_parts", "cost_allocation", "cost_reconciliation",
    "budget_status", "cost_forecast", "cost_anomalies", "billing_slice_status", "billing_line_items",
))).upstream()

# What the release before cost_attribution became incremental left: cost_attribution without the slice, load,
# rules, build and digest columns, cost_daily without the digest of its days, its keys plain md5 keys (not beginning
# with the day; cost_attribution_id without the slice), and no build version; cost_allocation_parts, cost_forecast
# and int_cost_anomaly_scores as tables built whole, without the digest of each row's inputs.
PREVIOUS_RELEASE = """
    ALTER TABLE marts.cost_attribution DROP COLUMN billing_period, DROP COLUMN billing_account_id,
        DROP COLUMN load_id, DROP COLUMN loaded_at, DROP COLUMN rules_id, DROP COLUMN built_at,
        DROP COLUMN lines_digest;
    COMMENT ON TABLE marts.cost_attribution IS NULL;
    ALTER TABLE marts.cost_daily DROP COLUMN lines_digest;
    UPDATE marts.cost_daily
    SET cost_daily_id = md5(cost_daily_id::text)::uuid, cost_attribution_id = md5(cost_daily_id::text)::uuid;
    COMMENT ON TABLE marts.cost_daily IS NULL;
    ALTER TABLE marts.cost_allocation_parts DROP COLUMN inputs_digest;
    ALTER TABLE marts.cost_forecast DROP COLUMN inputs_digest;
    ALTER TABLE intermediate.int_cost_anomaly_scores DROP COLUMN inputs_digest;
    COMMENT ON TABLE intermediate.int_cost_anomaly_scores IS NULL;
"""


def build_finance(url: str) -> tuple[bool, list[str]]:
    """The finance dbt step as `cloudforge run` runs it; whether it succeeded and its warnings."""
    settings = load_settings(tags={"required": REQUIRED_TAGS}, costs=COSTS)
    with DagsterInstance.ephemeral() as instance, pytest.MonkeyPatch.context() as env:
        env.setenv("DBT_INDIRECT_SELECTION", "cautious")
        result = materialize(build_dbt_assets(settings), selection=FINANCE, resources={"dbt": dbt_resource(url)},
                             instance=instance, raise_on_error=False)
        warnings = [entry.user_message for entry in instance.all_logs(result.run_id)
                    if entry.level == 30 and "rebuilt in full" in entry.user_message]
    return result.success, warnings


def build_versions(url: str) -> list[tuple]:
    return rows(url, """
        SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class AS c
        WHERE c.relnamespace = 'marts'::regnamespace AND c.relname IN ('cost_daily', 'cost_attribution')
        ORDER BY c.relname
    """)


def test_tables_of_the_previous_release_are_rebuilt_in_full_by_the_pipeline(cost_url):
    full_build = cost_tables(cost_url)
    assert build_versions(cost_url) == [("cost_attribution", "cloudforge build_version 4"),
                                        ("cost_daily", "cloudforge build_version 4")]
    with connect(cost_url) as conn:
        conn.execute(PREVIOUS_RELEASE)

    success, warnings = build_finance(cost_url)

    assert success
    assert sorted(warnings) == [
        ("intermediate.int_cost_anomaly_scores is rebuilt in full: its table records no build_version, the model is"
         " build_version 1"),
        "marts.cost_allocation_parts is rebuilt in full: its columns are not the model's (it lacks inputs_digest)",
        ("marts.cost_attribution is rebuilt in full: its columns are not the model's (it lacks billing_account_id,"
         " billing_period, built_at, lines_digest, load_id, loaded_at, rules_id)"),
        "marts.cost_daily is rebuilt in full: its columns are not the model's (it lacks lines_digest)",
        "marts.cost_forecast is rebuilt in full: its columns are not the model's (it lacks inputs_digest)",
    ]
    assert cost_tables(cost_url) == full_build
    assert build_versions(cost_url) == [("cost_attribution", "cloudforge build_version 4"),
                                        ("cost_daily", "cloudforge build_version 4")]


def test_current_tables_are_built_incrementally(cost_url):
    """Tables this release built are kept: no warning, and cost_daily's rows are the same rows (same built_at)."""
    built_at = rows(cost_url, "SELECT max(built_at) FROM marts.cost_daily")
    success, warnings = build_finance(cost_url)
    assert (success, warnings) == (True, [])
    assert rows(cost_url, "SELECT max(built_at) FROM marts.cost_daily") == built_at
