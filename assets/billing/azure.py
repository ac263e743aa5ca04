"""Azure cost of one scope and billing period from the Cost Management Query API, as FOCUS rows.

Two queries per period: ``ActualCost`` (what the invoice bills) and ``AmortizedCost`` (reservation and
savings-plan purchases spread over the usage they cover), each daily, summing ``Cost``, grouped by
``GROUPING`` and carrying the resource tags. The two are matched on those dimensions; a row missing on one
side counts 0 there (a purchase has no amortized row, covered usage no billed cost). Pages are followed
through ``nextLink``. A 429 is retried after the longest of ``Retry-After`` and Cost Management's own
``x-ms-ratelimit-microsoft.costmanagement-*-retry-after`` headers, which Azure's default policy ignores.

==============================  ===========================================================================
FOCUS column                    from the Query API
==============================  ===========================================================================
BilledCost                      Cost of the ActualCost query
EffectiveCost                   Cost of the AmortizedCost query
ListCost, ContractedCost        the larger of the two: the API returns no list or negotiated price
BillingCurrency                 Currency
ChargePeriodStart/End           UsageDate, one UTC day
BillingPeriodStart/End          the period asked for
BillingAccountId/Name           the scope's billing entity (see ``billing_account_id``)
SubAccountId/Name               SubscriptionId / SubscriptionName
ResourceId, ResourceName        ResourceId and its last segment
ResourceType                    the provider type in ResourceId, e.g. microsoft.compute/virtualmachines
RegionId / RegionName           ResourceLocation lower-cased without spaces / as returned
ServiceName                     ServiceName, "Unassigned" when empty (as the portal shows it)
ServiceCategory                 ``SERVICE_CATEGORIES`` by ServiceName, else "Other"
ChargeCategory, ChargeClass     ``CHARGE_TYPES`` by ChargeType (a Refund is a corrected Purchase)
ChargeFrequency                 Frequency (OneTime, Recurring, UsageBased); else Usage-Based for usage,
                                One-Time for the rest
ChargeDescription               "<ServiceName> <chargetype>", e.g. "Virtual Machines usage"
PricingCategory                 ``PRICING_MODELS`` by PricingModel
Tags                            the Tags column (strings '"key":"value"') as one JSON object
ProviderName, PublisherName,    "Microsoft"
InvoiceIssuerName
x_ResourceGroupName,            ResourceGroupName, ChargeType and PricingModel as returned, kept as FOCUS
x_ChargeType, x_PricingModel    extension columns (they also keep every row's content unique)
==============================  ===========================================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import polars as pl
from azure.core.credentials import TokenCredential
from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError
from azure.core.pipeline.policies import RetryPolicy
from azure.mgmt.costmanagement import CostManagementClient, models

from assets.billing.focus import focus_frame

PROVIDER = "Microsoft"
COST_TYPES = ("ActualCost", "AmortizedCost")  # -> BilledCost, EffectiveCost
GROUPING = (
    "ResourceId", "ResourceGroupName", "ResourceLocation", "ServiceName", "ChargeType", "PricingModel",
    "Frequency", "SubscriptionId", "SubscriptionName",
)  # fmt: skip
KEY = ("UsageDate", *GROUPING, "Tags", "Currency")  # the dimensions of one output row
EXTENSIONS = ("x_ResourceGroupName", "x_ChargeType", "x_PricingModel")

CHARGE_TYPES = {  # Azure ChargeType (lower case) -> (ChargeCategory, ChargeClass)
    "usage": ("Usage", None),
    "unusedreservation": ("Usage", None),
    "unusedsavingsplan": ("Usage", None),
    "purchase": ("Purchase", None),
    "refund": ("Purchase", "Correction"),
    "tax": ("Tax", None),
    "roundingadjustment": ("Adjustment", None),
    "credit": ("Credit", None),
}
FREQUENCIES = {"OneTime": "One-Time", "Recurring": "Recurring", "UsageBased": "Usage-Based"}
PRICING_MODELS = {
    "OnDemand": "Standard",
    "Spot": "Dynamic",
    "Reservation": "Committed",
    "SavingsPlan": "Committed",
}
SERVICE_CATEGORIES = {
    "Virtual Machines": "Compute", "Virtual Machines Licenses": "Compute", "Functions": "Compute",
    "Azure Kubernetes Service": "Compute", "Container Instances": "Compute", "Batch": "Compute",
    "Azure App Service": "Web", "Storage": "Storage", "Backup": "Storage",
    "SQL Database": "Databases", "Azure Cosmos DB": "Databases", "Azure Database for PostgreSQL": "Databases",
    "Azure Database for MySQL": "Databases", "Redis Cache": "Databases",
    "Bandwidth": "Networking", "Virtual Network": "Networking", "Load Balancer": "Networking",
    "Azure DNS": "Networking", "Application Gateway": "Networking", "VPN Gateway": "Networking",
    "Azure Firewall": "Networking", "Azure Front Door Service": "Networking",
    "Azure Monitor": "Management and Governance", "Log Analytics": "Management and Governance",
    "Key Vault": "Security", "Microsoft Defender for Cloud": "Security", "Microsoft Entra ID": "Identity",
    "Cognitive Services": "AI and Machine Learning", "Azure Machine Learning": "AI and Machine Learning",
    "Event Hubs": "Integration", "Service Bus": "Integration", "API Management": "Integration",
    "Azure Data Factory v2": "Analytics", "Azure Synapse Analytics": "Analytics",
    "Azure Databricks": "Analytics",
}  # fmt: skip

_SCOPE_PARTS = re.compile(
    r"(billingProfiles|billingAccounts|subscriptions|managementGroups)/([^/]+)", re.IGNORECASE
)
_ACCOUNT_PRECEDENCE = ("billingprofiles", "billingaccounts", "subscriptions", "managementgroups")
_RETRY_AFTER = re.compile(
    r"retry-after|x-ms-ratelimit-microsoft\.costmanagement-[a-z]+-retry-after", re.IGNORECASE
)
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class AzureCostError(RuntimeError):
    """A Cost Management query failed; the message names the scope and Azure's error code, never a token."""


class CostManagementRetryPolicy(RetryPolicy):
    """Azure's retry policy, taught Cost Management's throttling.

    Cost Management answers 429 with ``x-ms-ratelimit-microsoft.costmanagement-<qpu, entity, tenant,
    ...>-retry-after`` headers, often without ``Retry-After``; the default policy then neither waits for them
    nor retries the query (a POST). Here a 429 is always retried, after the longest wait those headers ask.
    """

    def is_retry(self, settings: dict[str, Any], response: Any) -> bool:
        if response.http_response.status_code == 429:
            return bool(settings["total"])
        return super().is_retry(settings, response)

    def get_retry_after(self, response: Any) -> float | None:
        headers = response.http_response.headers.items()
        waits = [self.parse_retry_after(value) for name, value in headers if _RETRY_AFTER.fullmatch(name)]
        return max(waits) if waits else super().get_retry_after(response)


def fetch_azure_costs(
    scope: str,
    period_start: date,
    period_end: date,
    credential: TokenCredential,
    *,
    base_url: str | None = None,
    max_retries: int = 6,
) -> pl.DataFrame:
    """FOCUS rows of ``scope`` for the billing period [period_start, period_end), at most 31 days.

    ``scope`` is a Cost Management scope such as ``/subscriptions/<id>`` or
    ``/providers/Microsoft.Billing/billingAccounts/<id>``; ``credential`` is an azure-identity credential
    (``DefaultAzureCredential`` in production); ``base_url`` overrides the ARM endpoint. Raises
    ``AzureCostError`` naming the scope and Azure's error code when a query fails.
    """
    if not period_start < period_end <= period_start + timedelta(days=31):
        raise ValueError(
            f"Azure billing period {period_start}..{period_end} must be 1 to 31 days (daily granularity)"
        )
    scope = scope.strip("/")
    client = CostManagementClient(
        credential, base_url=base_url, retry_policy=CostManagementRetryPolicy(retry_total=max_retries)
    )
    with client:
        costs = {
            cost_type: _sum_by_key(
                _query_rows(client, scope, _definition(cost_type, period_start, period_end), base_url)
            )
            for cost_type in COST_TYPES
        }
    return _focus_frame(scope, period_start, period_end, costs["ActualCost"], costs["AmortizedCost"])


def _focus_frame(
    scope: str,
    period_start: date,
    period_end: date,
    billed: Mapping[tuple[Any, ...], Decimal],
    effective: Mapping[tuple[Any, ...], Decimal],
) -> pl.DataFrame:
    """FOCUS rows from the summed costs of both queries, keyed by the ``KEY`` dimensions."""
    account = billing_account_id(scope)
    period = (_utc_midnight(period_start), _utc_midnight(period_end))
    zero = Decimal(0)
    records = [
        _record(account, period, dict(zip(KEY, key)), billed.get(key, zero), effective.get(key, zero))
        for key in {**billed, **effective}
    ]
    return focus_frame(records, EXTENSIONS)


def billing_account_id(scope: str) -> str:
    """A scope's billing entity: billing profile, else billing account, subscription, management group."""
    found = {kind.lower(): value for kind, value in _SCOPE_PARTS.findall(scope)}
    for kind in _ACCOUNT_PRECEDENCE:
        if kind in found:
            return found[kind]
    raise ValueError(
        f"Azure scope {scope!r} names no billing profile, billing account, subscription or management group"
    )


def _definition(cost_type: str, period_start: date, period_end: date) -> models.QueryDefinition:
    definition = models.QueryDefinition(
        type=cost_type,
        timeframe="Custom",
        time_period=models.QueryTimePeriod(
            from_property=_utc_midnight(period_start), to=_utc_midnight(period_end) - timedelta(seconds=1)
        ),
        dataset=models.QueryDataset(
            granularity="Daily",
            aggregation={"Cost": models.QueryAggregation(name="Cost", function="Sum")},
            grouping=[models.QueryGrouping(type="Dimension", name=name) for name in GROUPING],
        ),
    )
    definition["dataset"]["include"] = ["Tags"]  # a Tags column; not in the SDK's model, accepted by the API
    return definition


def _query_rows(
    client: CostManagementClient, scope: str, definition: models.QueryDefinition, base_url: str | None
) -> Iterator[dict[str, Any]]:
    """Every row of every page, as {column name: value}, costs as exact decimals."""
    options: dict[str, Any] = {"cls": _exact_json}
    if _is_loopback_http(base_url):
        options["enforce_https"] = False  # a local replay server or emulator; tokens go over TLS otherwise
    params: dict[str, str] = {}
    seen: set[tuple[tuple[str, str], ...]] = set()
    while True:
        try:
            page = client.query.usage(scope, definition, params=params, **options)
        except ClientAuthenticationError as err:  # no token: the credential chain says why, without secrets
            raise AzureCostError(
                f"Azure Cost Management {definition['type']} query for scope /{scope} got no token: "
                f"{err.message}"
            ) from None
        except HttpResponseError as err:
            code = err.error.code if err.error else None
            message = err.error.message if err.error else err.reason
            raise AzureCostError(
                f"Azure Cost Management {definition['type']} query for scope /{scope} failed: "
                f"HTTP {err.status_code} {code or ''}: {message}"
            ) from None
        except AzureError as err:
            raise AzureCostError(
                f"Azure Cost Management {definition['type']} query for scope /{scope} failed: {err}"
            ) from None
        properties = page.get("properties") or {}
        names = [column["name"] for column in properties.get("columns") or ()]
        for row in properties.get("rows") or ():
            yield dict(zip(names, row))
        next_link = properties.get("nextLink")
        if not next_link:
            return
        params = {
            name: value for name, value in parse_qsl(urlsplit(next_link).query) if name != "api-version"
        }
        marker = tuple(sorted(params.items()))
        if marker in seen:
            raise AzureCostError(
                f"Azure Cost Management query for scope /{scope} repeats its nextLink {next_link}"
            )
        seen.add(marker)


def _exact_json(pipeline_response: Any, _deserialized: Any, _headers: Any) -> dict[str, Any]:
    """The SDK's ``cls`` hook: parse the body again with decimals, since floats cannot hold costs exactly."""
    text = pipeline_response.http_response.text()
    return json.loads(text, parse_float=Decimal) if text else {}


def _sum_by_key(rows: Iterator[dict[str, Any]]) -> dict[tuple[Any, ...], Decimal]:
    totals: dict[tuple[Any, ...], Decimal] = {}
    for row in rows:
        key = tuple(_tags_json(row.get("Tags")) if name == "Tags" else row.get(name) or "" for name in KEY)
        cost = row.get("Cost", row.get("PreTaxCost")) or 0
        totals[key] = totals.get(key, Decimal(0)) + Decimal(cost)
    return totals


def _record(
    account: str, period: tuple[datetime, datetime], row: dict[str, Any], billed: Decimal, effective: Decimal
) -> dict[str, Any]:
    charge_type = row["ChargeType"]
    try:
        category, charge_class = CHARGE_TYPES[charge_type.lower()]
    except KeyError:
        raise ValueError(
            f"Azure ChargeType {charge_type!r} has no FOCUS ChargeCategory (scope account {account})"
        ) from None
    start = _utc_midnight(_usage_day(row["UsageDate"]))
    frequency = FREQUENCIES.get(row["Frequency"]) or ("Usage-Based" if category == "Usage" else "One-Time")
    service = row["ServiceName"] or "Unassigned"
    location = row["ResourceLocation"]
    resource_id = row["ResourceId"] or None
    return {
        "BilledCost": billed,
        "EffectiveCost": effective,
        "ListCost": max(billed, effective),
        "ContractedCost": max(billed, effective),
        "BillingCurrency": row["Currency"],
        "BillingAccountId": account,
        "BillingAccountName": account,
        "BillingPeriodStart": period[0],
        "BillingPeriodEnd": period[1],
        "ChargePeriodStart": start,
        "ChargePeriodEnd": start + timedelta(days=1),
        "ChargeCategory": category,
        "ChargeClass": charge_class,
        "ChargeDescription": f"{service} {charge_type.lower()}",
        "ChargeFrequency": frequency,
        "PricingCategory": PRICING_MODELS.get(row["PricingModel"], "Other") if row["PricingModel"] else None,
        "ProviderName": PROVIDER,
        "PublisherName": PROVIDER,
        "InvoiceIssuerName": PROVIDER,
        "RegionId": location.lower().replace(" ", "") or None,
        "RegionName": location or None,
        "ResourceId": resource_id,
        "ResourceName": resource_id.rsplit("/", 1)[-1] if resource_id else None,
        "ResourceType": _resource_type(resource_id),
        "ServiceName": service,
        "ServiceCategory": SERVICE_CATEGORIES.get(service, "Other"),
        "SubAccountId": row["SubscriptionId"] or None,
        "SubAccountName": row["SubscriptionName"] or None,
        "Tags": row["Tags"],
        "x_ResourceGroupName": row["ResourceGroupName"] or None,
        "x_ChargeType": charge_type,
        "x_PricingModel": row["PricingModel"] or None,
    }


def _tags_json(value: Any) -> str:
    """The Tags column (a list of '"key":"value"' strings, or an object) as a canonical JSON object."""
    if isinstance(value, Mapping):
        tags = dict(value)
    else:
        tags = {}
        for item in value or ():
            try:
                tags.update(json.loads("{" + item + "}"))
            except ValueError:
                raise ValueError(f'Azure tag {item!r} is not of the form \'"key":"value"\'') from None
    return json.dumps({str(key): str(val) for key, val in tags.items()}, sort_keys=True)


def _resource_type(resource_id: str | None) -> str | None:
    """'/subscriptions/s/resourcegroups/g/providers/Microsoft.Sql/servers/a/databases/b'
    -> 'microsoft.sql/servers/databases'."""
    if not resource_id or "/providers/" not in resource_id.lower():
        return None
    parts = resource_id[resource_id.lower().rindex("/providers/") + len("/providers/") :].split("/")
    return "/".join([parts[0], *parts[1::2]]).lower()


def _usage_day(value: Any) -> date:
    """UsageDate as Azure returns it: the number 20240131, or an ISO string."""
    text = str(value)
    return datetime.strptime(text, "%Y%m%d").date() if text.isdigit() else date.fromisoformat(text[:10])


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _is_loopback_http(base_url: str | None) -> bool:
    return bool(base_url) and base_url.startswith("http://") and urlsplit(base_url).hostname in _LOOPBACK
