"""The Dagster asset raw_billing/focus_charges and its blocking check focus_slices_valid."""

from __future__ import annotations

import dagster as dg
from support.focus_samples import AWS_ACCOUNT, GCP_ACCOUNT, charge, write_csv

from assets.billing.assets import BILLING_ASSETS, FOCUS_CHARGES, LOAD_LOG, FocusSourcesResource
from assets.resources import WarehouseResource
from cloudforge.warehouse import connect, create_database


def materialize(warehouse_url: str, *sources: str) -> dg.ExecuteInProcessResult:
    resources = {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "focus_sources": FocusSourcesResource(sources=list(sources)),
    }
    return dg.materialize(BILLING_ASSETS, resources=resources, raise_on_error=False)


def test_the_check_passes_on_a_clean_load_and_fails_when_a_slice_is_quarantined(
    billing_db, warehouse_url, tmp_path
):
    clean, broken = tmp_path / "clean", tmp_path / "broken"
    write_csv(clean / "gcp.csv", [charge("gcp", d, "3.00", ChargeFrequency="usage-based") for d in (1, 2)])
    write_csv(broken / "aws.csv", [charge("aws", 1, "1.00", ChargeCategory="Usagee")])

    first = materialize(warehouse_url, str(clean))
    second = materialize(warehouse_url, str(clean), str(broken))

    assert [(e.check_name, e.passed) for e in first.get_asset_check_evaluations()] == [
        ("focus_slices_valid", True)
    ]
    (spec,) = BILLING_ASSETS[0].check_specs
    assert spec.blocking  # a failing check keeps downstream models from running on this load
    (failed,) = second.get_asset_check_evaluations()
    assert (failed.check_name, failed.passed, failed.severity) == (
        "focus_slices_valid",
        False,
        dg.AssetCheckSeverity.ERROR,
    )
    problems = failed.metadata["problems"].value
    assert (
        f"aws/{AWS_ACCOUNT}/2024-01: quarantined (1 rows): rule allowed_values failed in {broken / 'aws.csv'}"
        in problems
    )
    materialization, log = second.asset_materializations_for_node("focus_billing")
    assert (materialization.asset_key, log.asset_key) == (FOCUS_CHARGES, LOAD_LOG)
    assert log.metadata["attempts"].value == 2
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert (metadata["rows_loaded"], metadata["slices_loaded"], metadata["slices_refused"]) == (2, 1, 1)
    assert metadata["warnings"].startswith(  # a conformance warning does not fail the check
        f"- gcp/{GCP_ACCOUNT}/2024-01: loaded 2 rows from {clean / 'gcp.csv'} | rule allowed_values (normalised) in "
        f"{clean / 'gcp.csv'}: ChargeFrequency has 2 row(s) in another letter case, loaded as ['Usage-Based']."
    )
    assert metadata["slices"].splitlines()[2:] == [
        f"| gcp/{GCP_ACCOUNT}/2024-01 | loaded | 2 |",
        f"| aws/{AWS_ACCOUNT}/2024-01 | quarantined | 1 |",
    ]


def test_with_no_source_configured_the_raw_table_exists_empty_for_the_cost_models(warehouse_url):
    url = create_database(warehouse_url, "billing_no_sources")

    result = materialize(url)

    assert [(e.check_name, e.passed) for e in result.get_asset_check_evaluations()] == [
        ("focus_slices_valid", True)
    ]
    with connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM raw_billing.focus_charges").fetchone() == (0,)
