"""The FOCUS columns loaded here: FOCUS name -> PostgreSQL column, type, presence, nulls, allowed values.

The single mapping between the FinOps Open Cost and Usage Specification and ``raw_billing.focus_charges``; the
reader, the validation gate, the loader and the table's migrations all follow it (a test holds the table to it).
FOCUS 1.0 is the baseline: its Mandatory columns must be present. The columns FOCUS 1.1 and 1.2 added
are loaded when a source has them and are null otherwise. Extension columns (prefix ``x_``, such as
``x_ServiceCode`` in AWS exports) are kept together in the jsonb column ``extensions``.

A frame handed to the loader uses the FOCUS names as column names. Values may be text (as in CSV files) or
typed (decimals, integers, floats, datetimes, dates); ``conform.conform`` types them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

Kind = Literal["string", "decimal", "datetime", "json"]

# Exact decimals: 38 digits, 10 after the point; a value with more decimals is rounded at 1e-10.
DECIMAL = pl.Decimal(38, 10)
DATETIME = pl.Datetime("us", "UTC")
DTYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "decimal": DECIMAL,
    "datetime": DATETIME,
    "json": pl.String(),
}


@dataclass(frozen=True)
class FocusColumn:
    name: str  # FOCUS column id, e.g. BilledCost
    column: str  # PostgreSQL column, e.g. billed_cost
    kind: Kind
    mandatory: bool = False  # FOCUS 1.0 feature level Mandatory: the column must be present
    nullable: bool = True  # False: no row may be null (checked whenever the column is present)
    allowed: tuple[str, ...] | None = None  # the allowed values; nulls are governed by ``nullable``
    since: str = "1.0"  # FOCUS version that introduced the column


CHARGE_CATEGORIES = ("Usage", "Purchase", "Tax", "Credit", "Adjustment")
CHARGE_FREQUENCIES = ("One-Time", "Recurring", "Usage-Based")
PRICING_CATEGORIES = ("Standard", "Dynamic", "Committed", "Other")
USED_UNUSED = ("Used", "Unused")
SPEND_USAGE = ("Spend", "Usage")
SERVICE_CATEGORIES = (
    "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases",
    "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things",
    "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web",
    "Other",
)  # fmt: skip

REQUIRED = {"mandatory": True, "nullable": False}

COLUMNS: tuple[FocusColumn, ...] = (
    # FOCUS 1.0 (43 columns)
    FocusColumn("AvailabilityZone", "availability_zone", "string"),
    FocusColumn("BilledCost", "billed_cost", "decimal", **REQUIRED),
    FocusColumn("BillingAccountId", "billing_account_id", "string", **REQUIRED),
    FocusColumn("BillingAccountName", "billing_account_name", "string", mandatory=True),
    FocusColumn("BillingCurrency", "billing_currency", "string", **REQUIRED),
    FocusColumn("BillingPeriodEnd", "billing_period_end", "datetime", **REQUIRED),
    FocusColumn("BillingPeriodStart", "billing_period_start", "datetime", **REQUIRED),
    FocusColumn("ChargeCategory", "charge_category", "string", **REQUIRED, allowed=CHARGE_CATEGORIES),
    FocusColumn("ChargeClass", "charge_class", "string", mandatory=True, allowed=("Correction",)),
    FocusColumn("ChargeDescription", "charge_description", "string", mandatory=True),
    FocusColumn("ChargeFrequency", "charge_frequency", "string", nullable=False, allowed=CHARGE_FREQUENCIES),
    FocusColumn("ChargePeriodEnd", "charge_period_end", "datetime", **REQUIRED),
    FocusColumn("ChargePeriodStart", "charge_period_start", "datetime", **REQUIRED),
    FocusColumn("CommitmentDiscountCategory", "commitment_discount_category", "string", allowed=SPEND_USAGE),
    FocusColumn("CommitmentDiscountId", "commitment_discount_id", "string"),
    FocusColumn("CommitmentDiscountName", "commitment_discount_name", "string"),
    FocusColumn("CommitmentDiscountStatus", "commitment_discount_status", "string", allowed=USED_UNUSED),
    FocusColumn("CommitmentDiscountType", "commitment_discount_type", "string"),
    FocusColumn("ConsumedQuantity", "consumed_quantity", "decimal"),
    FocusColumn("ConsumedUnit", "consumed_unit", "string"),
    FocusColumn("ContractedCost", "contracted_cost", "decimal", **REQUIRED),
    FocusColumn("ContractedUnitPrice", "contracted_unit_price", "decimal"),
    FocusColumn("EffectiveCost", "effective_cost", "decimal", **REQUIRED),
    FocusColumn("InvoiceIssuerName", "invoice_issuer_name", "string", **REQUIRED),
    FocusColumn("ListCost", "list_cost", "decimal", **REQUIRED),
    FocusColumn("ListUnitPrice", "list_unit_price", "decimal"),
    FocusColumn("PricingCategory", "pricing_category", "string", allowed=PRICING_CATEGORIES),
    FocusColumn("PricingQuantity", "pricing_quantity", "decimal", mandatory=True),
    FocusColumn("PricingUnit", "pricing_unit", "string", mandatory=True),
    FocusColumn("ProviderName", "provider_name", "string", **REQUIRED),
    FocusColumn("PublisherName", "publisher_name", "string", **REQUIRED),
    FocusColumn("RegionId", "region_id", "string"),
    FocusColumn("RegionName", "region_name", "string"),
    FocusColumn("ResourceId", "resource_id", "string"),
    FocusColumn("ResourceName", "resource_name", "string"),
    FocusColumn("ResourceType", "resource_type", "string"),
    FocusColumn("ServiceCategory", "service_category", "string", **REQUIRED, allowed=SERVICE_CATEGORIES),
    FocusColumn("ServiceName", "service_name", "string", **REQUIRED),
    FocusColumn("SkuId", "sku_id", "string"),
    FocusColumn("SkuPriceId", "sku_price_id", "string"),
    FocusColumn("SubAccountId", "sub_account_id", "string"),
    FocusColumn("SubAccountName", "sub_account_name", "string"),
    FocusColumn("Tags", "tags", "json"),
    # FOCUS 1.1
    FocusColumn("CapacityReservationId", "capacity_reservation_id", "string", since="1.1"),
    FocusColumn(
        "CapacityReservationStatus", "capacity_reservation_status", "string", allowed=USED_UNUSED, since="1.1"
    ),
    FocusColumn("CommitmentDiscountQuantity", "commitment_discount_quantity", "decimal", since="1.1"),
    FocusColumn("CommitmentDiscountUnit", "commitment_discount_unit", "string", since="1.1"),
    FocusColumn("ServiceSubcategory", "service_subcategory", "string", since="1.1"),
    FocusColumn("SkuMeter", "sku_meter", "string", since="1.1"),
    FocusColumn("SkuPriceDetails", "sku_price_details", "json", since="1.1"),
    # FOCUS 1.2
    FocusColumn("BillingAccountType", "billing_account_type", "string", since="1.2"),
    FocusColumn("InvoiceId", "invoice_id", "string", since="1.2"),
    FocusColumn("PricingCurrency", "pricing_currency", "string", since="1.2"),
    FocusColumn(
        "PricingCurrencyContractedUnitPrice", "pricing_currency_contracted_unit_price", "decimal", since="1.2"
    ),
    FocusColumn("PricingCurrencyEffectiveCost", "pricing_currency_effective_cost", "decimal", since="1.2"),
    FocusColumn("PricingCurrencyListUnitPrice", "pricing_currency_list_unit_price", "decimal", since="1.2"),
    FocusColumn("SubAccountType", "sub_account_type", "string", since="1.2"),
)

BY_NAME: dict[str, FocusColumn] = {c.name: c for c in COLUMNS}

# Columns without which an amount is wrong or ambiguous: the costs, their currency, the billing account and
# period bounds, the provider (the slice key), and the charge category, service category and service the cost
# marts attribute every amount to. A gate rule broken on one of them refuses the slice; on any other column it
# is a conformance warning and the slice loads (docs/focus.md, "Severity").
ESSENTIAL = frozenset(
    {
        "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingCurrency", "BillingAccountId",
        "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ProviderName",
        "ChargeCategory", "ServiceCategory", "ServiceName",
    }
)  # fmt: skip

# FOCUS custom columns start with x_; a source that identifies its line items does so in x_LineItemId.
EXTENSION_PREFIX = "x_"
LINE_ITEM_ID = "x_LineItemId"

# raw_billing.focus_charges: the FOCUS columns, then these, in this order. The slice key is the unit of
# atomic replacement: (provider, billing account, billing period).
META_COLUMNS = (
    "line_item_id",
    "extensions",
    "provider",
    "billing_period",
    "source_uri",
    "load_id",
    "loaded_at",
)
SLICE_KEY = ("provider", "billing_account_id", "billing_period")

PROVIDER_SLUGS = {
    "aws": "aws", "amazon web services": "aws", "amazon": "aws",
    "microsoft": "azure", "microsoft azure": "azure", "azure": "azure",
    "google cloud": "gcp", "google cloud platform": "gcp", "google": "gcp", "gcp": "gcp",
}  # fmt: skip


def provider_slug(provider_name: pl.Expr) -> pl.Expr:
    """ProviderName -> 'aws' | 'azure' | 'gcp', or a slug of another ('Snowflake Inc.' -> 'snowflake-inc')."""
    lowered = provider_name.str.strip_chars().str.to_lowercase()
    slug = lowered.str.replace_all(r"[^a-z0-9]+", "-").str.strip_chars("-")
    return lowered.replace_strict(PROVIDER_SLUGS, default=slug, return_dtype=pl.String)


def focus_frame(records: list[dict], extensions: tuple[str, ...] = ()) -> pl.DataFrame:
    """Rows an SDK adapter built (dicts by FOCUS name) as a typed frame with every FOCUS 1.0 column.

    Columns a record lacks are null; ``extensions`` are the adapter's x_ columns, as text.
    """
    schema = {c.name: DTYPES[c.kind] for c in COLUMNS if c.since == "1.0"}
    return pl.DataFrame(records, schema=schema | dict.fromkeys(extensions, pl.String()))
