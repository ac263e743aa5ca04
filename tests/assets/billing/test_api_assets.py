"""The Azure and BigQuery billing assets, built from settings, against the replay server: what a refused query
or a missing token does to the asset's check and to the slice already loaded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest
from support.replay import Exchange, ReplayServer
from support.replay.credentials import point_credentials_at, with_tokens

from assets.billing.api_assets import build_api_billing_assets, months_to_read
from assets.resources import WarehouseResource
from cloudforge.clock import Clock
from cloudforge.settings import AzureCostSource, BillingSettings, BigQueryExport
from cloudforge.warehouse import connect, create_database

FIXTURES = Path(__file__).parents[2] / "fixtures"
SCOPE = "/subscriptions/7a9c3e1f-52b4-4d8e-9f60-2c5b8d4e1a37"
EXPORT = {
    "project": "billing-admin-4821",
    "dataset": "billing_export",
    "table": "gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9",
    "job_project": "cloudforge-billing",
}


@pytest.mark.parametrize(
    ("source", "today", "expected"),
    [
        (AzureCostSource(scope=SCOPE), date(2025, 1, 15), [date(2024, 12, 1), date(2025, 1, 1)]),
        (AzureCostSource(scope=SCOPE, recent_months=3), date(2024, 3, 1),
         [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]),
        (BigQueryExport(**EXPORT, months=["2023-11", "2024-02"]), date(2025, 6, 30),
         [date(2023, 11, 1), date(2024, 2, 1)]),
    ],
)  # fmt: skip
def test_months_are_the_named_ones_else_the_recent_ones_ending_this_month(source, today, expected):
    assert months_to_read(source, today) == expected


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ({"scope": "subscriptions"}, "scope"),
        ({**EXPORT, "table": "gcp_billing_export_v1_01A2B3"}, "table"),
        ({**EXPORT, "dataset": "billing`; DROP TABLE t; --"}, "dataset"),
        ({**EXPORT, "months": ["2024-13"]}, "months.0"),
    ],
)
def test_a_malformed_source_is_refused_when_settings_load_naming_the_field(source, error):
    kind = "bigquery" if "project" in source else "azure"
    with pytest.raises(ValueError, match=rf"\n{kind}\.0\.{error}\n"):
        BillingSettings.model_validate({kind: [source]})


def materialize(url: str, billing: BillingSettings, key: str) -> dg.ExecuteInProcessResult:
    [asset] = [a for a in build_api_billing_assets(billing, Clock()) if a.key.path[-1] == key]
    resources = {"warehouse": WarehouseResource(database_url=url)}
    return dg.materialize([asset], resources=resources, raise_on_error=False)


def problems(result: dg.ExecuteInProcessResult) -> str:
    [check] = result.get_asset_check_evaluations()
    assert not check.passed
    return check.metadata["problems"].value


def slice_sums(url: str) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute(
            "SELECT provider, count(*), sum(billed_cost) FROM raw_billing.focus_charges GROUP BY 1 ORDER BY 1"
        ).fetchall()


@pytest.fixture
def loaded_january(warehouse_url, tmp_path, monkeypatch):
    """A database holding January 2024 of the Azure scope and the BigQuery export, loaded by the assets;
    returns (url, settings naming both sources at an endpoint, a function pointing credentials at servers)."""
    url = create_database(warehouse_url, "api_billing_assets")

    def settings(endpoint: str) -> BillingSettings:
        return BillingSettings(
            azure=[AzureCostSource(scope=SCOPE, months=["2024-01"], endpoint_url=endpoint)],
            bigquery=[BigQueryExport(**EXPORT, months=["2024-01"], endpoint_url=endpoint)],
        )

    months = [FIXTURES / provider / "month_scenario.json" for provider in ("azure", "bigquery")]
    with ReplayServer(with_tokens(*months)) as server:
        point_credentials_at(monkeypatch, server.url, tmp_path)
        for key in ("azure_cost_management", "bigquery_billing_export"):
            assert materialize(url, settings(server.url), key).success
    assert slice_sums(url) == [("azure", 9, Decimal("726.2499122345")), ("gcp", 11, Decimal("6.025456803"))]
    return url, settings, lambda server: point_credentials_at(monkeypatch, server.url, tmp_path)


def test_a_refused_azure_query_fails_the_check_naming_the_scope_and_keeps_the_slice(loaded_january):
    url, settings, credentials_at = loaded_january
    with ReplayServer(with_tokens(FIXTURES / "azure" / "error_scenario.json")) as server:
        credentials_at(server)
        result = materialize(url, settings(server.url), "azure_cost_management")
    assert problems(result).startswith(
        f"- azure-cost-management:{SCOPE} 2024-01: Azure Cost Management ActualCost query for scope {SCOPE} "
        "failed: HTTP 400 BadRequest: Invalid query definition"
    )
    assert slice_sums(url) == [("azure", 9, Decimal("726.2499122345")), ("gcp", 11, Decimal("6.025456803"))]


def test_a_missing_token_fails_the_check_saying_so_without_a_secret(loaded_january):
    url, settings, credentials_at = loaded_january
    no_identity = Exchange(method="GET", path="/msi/token", status=400,
                           response='{"statusCode": 400, "message": "No managed identity is assigned"}')
    with ReplayServer([no_identity]) as server:
        credentials_at(server)
        result = materialize(url, settings(server.url), "azure_cost_management")
    found = problems(result)
    assert f"query for scope {SCOPE} got no token: DefaultAzureCredential failed to retrieve a token" in found
    assert "identity-header-secret" not in found
    assert slice_sums(url)[0] == ("azure", 9, Decimal("726.2499122345"))


def test_a_missing_export_table_fails_the_check_naming_the_table_and_keeps_the_slice(loaded_january):
    url, settings, credentials_at = loaded_january
    with ReplayServer(with_tokens(FIXTURES / "bigquery" / "error_scenario.json")) as server:
        credentials_at(server)
        result = materialize(url, settings(server.url), "bigquery_billing_export")
    table = f"{EXPORT['project']}.{EXPORT['dataset']}.{EXPORT['table']}"
    assert problems(result).startswith(
        f"- bigquery:{table} 2024-01: BigQuery query of {table} for invoice month 202401 failed: "
        "HTTP 404 notFound"
    )
    assert slice_sums(url) == [("azure", 9, Decimal("726.2499122345")), ("gcp", 11, Decimal("6.025456803"))]
