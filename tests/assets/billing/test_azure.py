"""Azure cost through the real azure-mgmt-costmanagement SDK, over HTTP, against recorded Query API answers.

The scenario (tests/fixtures/azure/month_scenario.json): January 2024 of one subscription; the ActualCost
query is throttled once with Retry-After, then answers in two pages joined by nextLink; the AmortizedCost
query is throttled once with only Cost Management's own retry-after header, then answers in one page.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from azure.core.credentials import AccessToken
from support.replay import ReplayServer
from support.replay.focus_checks import assert_focus_1_0_columns, load_totals

from assets.billing.azure import GROUPING, AzureCostError, billing_account_id, fetch_azure_costs
from assets.billing.focus_files import SliceKey

FIXTURES = Path(__file__).parents[2] / "fixtures" / "azure"
SUBSCRIPTION = "7a9c3e1f-52b4-4d8e-9f60-2c5b8d4e1a37"
SCOPE = f"/subscriptions/{SUBSCRIPTION}"
QUERY_PATH = f"{SCOPE}/providers/Microsoft.CostManagement/query"
SKIPTOKEN = "AQAAAGVKeXdZWE5sSWpvaWNHRm5aU0l5SW4w"
TOKEN = "azure-test-token-3f9d6c1e"
JANUARY = (date(2024, 1, 1), date(2024, 2, 1))
PAYMENTS_TAGS = '{"env": "prod", "team": "payments"}'


class StaticToken:
    """A TokenCredential handing out one fixed token, as azure-identity's would, without a network call."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: object) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(TOKEN, int(time.time()) + 3600)


@pytest.fixture(scope="module")
def january():
    """The month read once through the replay server: (frame, requests the server received, credential)."""
    credential = StaticToken()
    with ReplayServer.from_scenario(FIXTURES / "month_scenario.json") as server:
        frame = fetch_azure_costs(SCOPE, *JANUARY, credential, base_url=server.url)
        assert server.unused() == []
    return frame, server.received, credential


def test_the_sdk_sends_the_documented_query_with_a_bearer_token(january):
    _, received, credential = january
    assert [(r.method, r.path, r.body["type"]) for r in received] == [
        ("POST", QUERY_PATH, "ActualCost"),
        ("POST", QUERY_PATH, "ActualCost"),
        ("POST", QUERY_PATH, "ActualCost"),
        ("POST", QUERY_PATH, "AmortizedCost"),
        ("POST", QUERY_PATH, "AmortizedCost"),
    ]
    assert {r.query["api-version"] for r in received} == {"2025-03-01"}
    assert {r.authorization for r in received} == {f"Bearer {TOKEN}"}
    assert credential.scopes[0] == ("https://management.azure.com/.default",)
    assert received[0].body == {
        "type": "ActualCost",
        "timeframe": "Custom",
        "timePeriod": {"from": "2024-01-01T00:00:00Z", "to": "2024-01-31T23:59:59Z"},
        "dataset": {
            "granularity": "Daily",
            "aggregation": {"Cost": {"name": "Cost", "function": "Sum"}},
            "grouping": [{"type": "Dimension", "name": name} for name in GROUPING],
            "include": ["Tags"],
        },
    }
    assert received[3].body == received[0].body | {"type": "AmortizedCost"}


def test_next_link_is_followed_with_its_skiptoken(january):
    _, received, _ = january
    assert [r.query.get("$skiptoken") for r in received] == [None, None, SKIPTOKEN, None, None]
    assert received[2].body == received[1].body


def test_throttled_queries_wait_as_long_as_azure_asks(january):
    """First 429: Retry-After: 1; second: only x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after: 1."""
    _, received, _ = january
    assert [r.answered_by for r in received] == [0, 1, 2, 3, 4]
    assert received[1].at - received[0].at >= 1.0
    assert received[4].at - received[3].at >= 1.0
    assert received[2].at - received[1].at < 1.0  # paging itself does not wait


def test_rows_of_both_queries_become_exact_focus_rows(january):
    frame, _, _ = january
    rows = frame.sort("ChargePeriodStart", "x_ChargeType", "ServiceName", "ResourceName").select(
        pl.col("ChargePeriodStart").dt.day(), "ResourceName", "ServiceName", "ChargeCategory", "x_ChargeType",
        "BilledCost", "EffectiveCost", "ListCost", "PricingCategory", "ChargeFrequency", "RegionId", "Tags",
    ).rows()  # fmt: skip
    d, vm, usage = Decimal, "Virtual Machines", ("Usage", "Usage")
    assert rows == [
        (1, None, vm, "Purchase", "Purchase", d("700"), d("0"), d("700"), "Committed", "One-Time", None,
         "{}"),
        (1, "stpaymentsprod", "Storage", *usage, d("0.4321098765"), d("0.4321098765"), d("0.4321098765"),
         "Standard", "Usage-Based", "westeurope", '{"env": "prod", "owner": "alice", "team": "payments"}'),
        (1, "vm-db-01", vm, *usage, d("0"), d("3.2"), d("3.2"), "Committed", "Usage-Based", "eastus",
         '{"env": "prod", "team": "data"}'),
        (1, "vm-web-01", vm, *usage, d("12.3456789012"), d("12.3456789012"), d("12.3456789012"), "Standard",
         "Usage-Based", "eastus", PAYMENTS_TAGS),
        (2, None, "Unassigned", "Adjustment", "RoundingAdjustment", d("-0.01"), d("-0.01"), d("-0.01"), None,
         "One-Time", None, "{}"),
        (2, None, vm, "Usage", "UnusedReservation", d("0"), d("0.8"), d("0.8"), "Committed", "Usage-Based",
         None, "{}"),
        (2, "vm-web-01", "Bandwidth", *usage, d("1.5"), d("1.5"), d("1.5"), "Standard", "Usage-Based",
         "eastus", PAYMENTS_TAGS),
        (2, "fn-payments-events", "Functions", *usage, d("0.0001234568"), d("0.0001234568"),
         d("0.0001234568"), "Standard", "Usage-Based", "eastus", "{}"),
        (2, "vm-web-01", vm, *usage, d("11.982"), d("11.982"), d("11.982"), "Standard", "Usage-Based",
         "eastus", PAYMENTS_TAGS),
    ]  # fmt: skip
    assert frame["BilledCost"].sum() == Decimal("726.2499122345")
    assert frame["EffectiveCost"].sum() == Decimal("30.2499122345")


def test_scope_period_and_provider_columns(january):
    frame, _, _ = january
    storage = frame.filter(frame["ServiceName"] == "Storage").row(0, named=True)
    expected = {
        "BillingAccountId": SUBSCRIPTION,
        "BillingAccountName": SUBSCRIPTION,
        "SubAccountId": SUBSCRIPTION,
        "SubAccountName": "payments-prod",
        "BillingCurrency": "USD",
        "BillingPeriodStart": datetime(2024, 1, 1, tzinfo=UTC),
        "BillingPeriodEnd": datetime(2024, 2, 1, tzinfo=UTC),
        "ChargePeriodEnd": datetime(2024, 1, 2, tzinfo=UTC),
        "ProviderName": "Microsoft",
        "PublisherName": "Microsoft",
        "InvoiceIssuerName": "Microsoft",
        "RegionName": "West Europe",
        "ResourceId": f"/subscriptions/{SUBSCRIPTION}/resourcegroups/rg-payments/providers/"
        "microsoft.storage/storageaccounts/stpaymentsprod",
        "ResourceType": "microsoft.storage/storageaccounts",
        "ServiceCategory": "Storage",
        "ChargeDescription": "Storage usage",
        "ChargeClass": None,
        "x_ResourceGroupName": "rg-payments",
        "x_PricingModel": "OnDemand",
    }
    assert {name: storage[name] for name in expected} == expected


def test_frame_is_focus_1_0_passes_the_gate_and_loads_to_the_cent(january, warehouse_url):
    frame, _, _ = january
    assert_focus_1_0_columns(frame)
    assert load_totals(warehouse_url, frame, source_uri=f"azure-cost-management:{SCOPE}") == (
        SliceKey("azure", SUBSCRIPTION, date(2024, 1, 1)),
        "loaded",
        9,
        Decimal("726.2499122345"),
        Decimal("30.2499122345"),
        Decimal("730.2499122345"),
    )


def test_refused_query_names_scope_and_azure_code_but_not_the_token():
    with ReplayServer.from_scenario(FIXTURES / "error_scenario.json") as server:
        with pytest.raises(AzureCostError) as caught:
            fetch_azure_costs(SCOPE, *JANUARY, StaticToken(), base_url=server.url)
    message = str(caught.value)
    assert message.startswith(
        f"Azure Cost Management ActualCost query for scope {SCOPE} failed: HTTP 400 BadRequest: "
    )
    assert "Invalid query definition: Dimension 'ResourceId' is not valid" in message
    assert TOKEN not in message and TOKEN not in repr(caught.value) and TOKEN not in repr(server.received)


@pytest.mark.parametrize(
    ("scope", "account"),
    [
        ("/subscriptions/s-1/resourceGroups/rg", "s-1"),
        ("/providers/Microsoft.Billing/billingAccounts/ba-1", "ba-1"),
        ("/providers/Microsoft.Billing/billingAccounts/ba-1/billingProfiles/bp-2", "bp-2"),
        ("/providers/Microsoft.Management/managementGroups/mg-1", "mg-1"),
    ],
)
def test_billing_account_is_the_billing_entity_the_scope_names(scope, account):
    assert billing_account_id(scope) == account


def test_period_longer_than_daily_granularity_allows_is_refused_before_any_request():
    with pytest.raises(ValueError, match="2024-01-01..2024-03-01 must be 1 to 31 days"):
        fetch_azure_costs(
            SCOPE, date(2024, 1, 1), date(2024, 3, 1), StaticToken(), base_url="http://127.0.0.1:9"
        )
