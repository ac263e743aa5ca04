"""GCP billing through the real google-cloud-bigquery client, over HTTP, against recorded BigQuery answers.

The scenario (tests/fixtures/bigquery/month_scenario.json): invoice month 202401 of a detailed usage cost
export; jobs.query answers with the first of three pages and a pageToken, the client reads the job (jobs.get),
then the other pages through jobs.getQueryResults. Rows carry labels, project labels, tags and credits as
nested repeated records, and costs as NUMERIC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from google.cloud import bigquery
from google.oauth2.credentials import Credentials
from support.replay import ReplayServer
from support.replay.focus_checks import assert_focus_1_0_columns, load_totals

from assets.billing.focus_files import SliceKey
from assets.billing.gcp import BigQueryBillingError, billing_period, fetch_gcp_billing

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bigquery"
PROJECT = "cloudforge-billing"
JOB = "job_Zk3q8RkV2x1Yc9T4m7Lw0pHsA5eB"
ACCOUNT = "01A2B3-C4D5E6-F7A8B9"
TABLE = "billing-admin-4821.billing_export.gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9"
TOKEN = "gcp-test-token-8b2e5a7d"
SHOP_TAGS = '{"cost-center": "cc-42", "env": "prod", "team": "checkout"}'


def bigquery_client(url: str) -> bigquery.Client:
    """The real client with a fixed OAuth token (a Bearer header, never refreshed), pointed at ``url``."""
    return bigquery.Client(
        project=PROJECT, credentials=Credentials(token=TOKEN), client_options={"api_endpoint": url}
    )


@pytest.fixture(scope="module")
def january():
    """The invoice month read once through the replay server: (frame, requests the server received)."""
    with ReplayServer.from_scenario(FIXTURES / "month_scenario.json") as server:
        frame = fetch_gcp_billing(bigquery_client(server.url), TABLE, "202401")
        assert server.unused() == []
    return frame, server.received


def test_the_client_sends_one_parameterised_query_with_the_partition_filter(january):
    _, received = january
    query = received[0]
    assert (query.method, query.path) == ("POST", f"/bigquery/v2/projects/{PROJECT}/queries")
    assert query.authorization == f"Bearer {TOKEN}"
    assert query.body["useLegacySql"] is False
    assert query.body["parameterMode"] == "NAMED"
    assert query.body["queryParameters"] == [
        {"name": "invoice_month", "parameterType": {"type": "STRING"}, "parameterValue": {"value": "202401"}},
        {"name": "partition_start", "parameterType": {"type": "TIMESTAMP"},
         "parameterValue": {"value": "2023-12-01 00:00:00+00:00"}},
        {"name": "partition_end", "parameterType": {"type": "TIMESTAMP"},
         "parameterValue": {"value": "2024-03-01 00:00:00+00:00"}},
    ]  # fmt: skip
    sql = " ".join(query.body["query"].split())
    assert (
        f"FROM `{TABLE}` WHERE _PARTITIONTIME >= @partition_start AND _PARTITIONTIME < @partition_end" in sql
    )
    assert sql.endswith("AND invoice.month = @invoice_month")
    assert "202401" not in sql  # the month travels as a parameter, never in the text


def test_pages_are_followed_with_their_page_tokens(january):
    _, received = january
    base = f"/bigquery/v2/projects/{PROJECT}"
    assert [(r.method, r.path, r.query.get("pageToken")) for r in received] == [
        ("POST", f"{base}/queries", None),
        ("GET", f"{base}/jobs/{JOB}", None),
        ("GET", f"{base}/queries/{JOB}", "BEPRX3QGAKQAAASA4EAAEEAQCAAKGQEBAEDQZ2AQ"),
        ("GET", f"{base}/queries/{JOB}", "BEPRX3QGAKQAAASA4EAAEEAQCAAKGQEBAEDQZ2BQ"),
    ]
    assert {r.authorization for r in received} == {f"Bearer {TOKEN}"}


def test_export_rows_become_exact_focus_rows_with_credits_as_rows(january):
    frame, _ = january
    rows = frame.select(
        pl.col("ChargePeriodStart").dt.strftime("%d %H"), "ChargeCategory", "ChargeClass",
        "ChargeDescription", "BilledCost", "ListCost", "PricingCategory", "ConsumedQuantity", "SubAccountId",
        "Tags",
    ).rows()  # fmt: skip
    d, n1, shop = Decimal, "N1 Predefined Instance Core running in Americas", "shop-prod"
    batch_tags = '{"cost-center": "cc-42", "env": "prod", "team": "batch"}'
    assert rows == [
        ("01 00", "Usage", None, n1, d("0.95"), d("1.1875"), "Standard", d("3600"), shop, SHOP_TAGS),
        ("01 00", "Credit", None, "Sustained Usage Discount", d("-0.19"), d("0"), None, None, shop,
         SHOP_TAGS),
        ("01 01", "Usage", None, n1, d("0.95"), d("1.1875"), "Standard", d("3600"), shop, SHOP_TAGS),
        # two parts of one bucket-hour, summed
        ("01 00", "Usage", None, "Standard Storage US Multi-region", d("0.1234568"), d("0.1234568"),
         "Standard", d("4399146022731"), shop, '{"cost-center": "cc-42", "team": "checkout"}'),
        ("02 10", "Usage", None, "Analysis", d("5"), d("5"), "Standard", d("1099511627776"), "data-platform",
         "{}"),
        ("02 10", "Credit", None, "Free trial credit", d("-2"), d("0"), None, None, "data-platform", "{}"),
        ("01 00", "Tax", None, "Sales tax", d("0.18"), d("0.18"), None, None, None, "{}"),
        ("03 00", "Adjustment", "Correction", "Credit for service disruption", d("-0.5"), d("-0.5"), None,
         None, shop, '{"cost-center": "cc-42"}'),
        ("31 00", "Adjustment", None, "Rounding error", d("0.000000003"), d("0.000000003"), None, None, None,
         "{}"),
        # a resource-manager tag env=prod on top of the label team=batch
        ("02 00", "Usage", None, n1, d("2.4"), d("3"), "Committed", d("3600"), shop, batch_tags),
        ("02 00", "Credit", None, "Committed use discount: CPU", d("-0.888"), d("0"), None, None, shop,
         batch_tags),
    ]  # fmt: skip
    assert frame["BilledCost"].sum() == frame["EffectiveCost"].sum() == Decimal("6.025456803")
    assert frame["ContractedCost"].sum() == Decimal("9.103456803")  # cost before credits
    assert frame["ListCost"].sum() == Decimal("10.178456803")


def test_account_period_and_provider_columns(january):
    frame, _ = january
    web = frame.filter(frame["ResourceName"] == "web-1").row(0, named=True)
    expected = {
        "BillingAccountId": ACCOUNT,
        "BillingAccountName": ACCOUNT,
        "BillingCurrency": "USD",
        "BillingPeriodStart": datetime(2024, 1, 1, 8, tzinfo=UTC),  # midnight Pacific Time
        "BillingPeriodEnd": datetime(2024, 2, 1, 8, tzinfo=UTC),
        "ChargePeriodEnd": datetime(2024, 1, 1, 1, tzinfo=UTC),
        "ChargeFrequency": "Usage-Based",
        "ProviderName": "Google Cloud",
        "PublisherName": "Google Cloud",
        "InvoiceIssuerName": "Google Cloud",
        "RegionId": "us-central1",
        "AvailabilityZone": "us-central1-a",
        "ResourceId": "//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/"
        "4721905836251147392",
        "ServiceCategory": "Compute",
        "SkuId": "2E27-4F75-95CD",
        "SubAccountName": "Shop Production",
        "PricingQuantity": Decimal("1"),
        "PricingUnit": "hour",
        "ConsumedUnit": "seconds",
        "ContractedUnitPrice": Decimal("0.95"),
        "x_CostType": "regular",
        "x_CreditType": None,
    }
    assert {name: web[name] for name in expected} == expected


def test_frame_is_focus_1_0_passes_the_gate_and_loads_to_the_cent(january, warehouse_url):
    frame, _ = january
    assert_focus_1_0_columns(frame)
    assert load_totals(warehouse_url, frame, source_uri=f"bigquery:{TABLE}") == (
        SliceKey("gcp", ACCOUNT, date(2024, 1, 1)),
        "loaded",
        11,
        Decimal("6.025456803"),
        Decimal("6.025456803"),
        Decimal("10.178456803"),
    )


def test_failed_query_names_table_and_reason_but_not_the_token():
    with ReplayServer.from_scenario(FIXTURES / "error_scenario.json") as server:
        with pytest.raises(BigQueryBillingError) as caught:
            fetch_gcp_billing(bigquery_client(server.url), TABLE, "202401")
    message = str(caught.value)
    assert message.startswith(
        f"BigQuery query of {TABLE} for invoice month 202401 failed: HTTP 404 notFound: "
    )
    assert "Not found: Table billing-admin-4821:billing_export.gcp_billing_export_resource_v1_" in message
    assert TOKEN not in message and TOKEN not in repr(caught.value) and TOKEN not in repr(server.received)


@pytest.mark.parametrize(
    ("table", "month", "error"),
    [
        (
            "billing-admin-4821.billing_export.gcp_billing_export_v1_01A2B3",
            "202401",
            "is not a detailed usage cost",
        ),
        (
            "billing-admin-4821.x`; DROP TABLE t; --.gcp_billing_export_resource_v1_A",
            "202401",
            "is not a detailed",
        ),
        (TABLE, "2024-01", "is not YYYYMM"),
        (TABLE, "202413", "is not YYYYMM"),
    ],
)
def test_bad_table_or_month_is_refused_before_any_request(table, month, error):
    with pytest.raises(ValueError, match=error):
        fetch_gcp_billing(bigquery_client("http://127.0.0.1:9"), table, month)


def test_invoice_months_follow_pacific_time_across_daylight_saving():
    assert billing_period("202403") == (
        datetime(2024, 3, 1, 8, tzinfo=UTC),
        datetime(2024, 4, 1, 7, tzinfo=UTC),
    )
    assert billing_period("202412") == (
        datetime(2024, 12, 1, 8, tzinfo=UTC),
        datetime(2025, 1, 1, 8, tzinfo=UTC),
    )
