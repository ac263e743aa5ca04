"""The FOCUS specification this project speaks: columns, their types, the version that added each, allowed values.

The one column specification (FinOps Open Cost and Usage Specification, 1.0 to 1.2) that ingestion
(``assets.billing``: reader, gate, loader), the demo billing and the benchmark generator all follow, so that
what the demo writes is what ingestion expects. FOCUS 1.0 is the baseline: its Mandatory columns must be
present; a column of a later version is loaded when a source has it and is null otherwise.
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
# FOCUS 1.1: each ServiceSubcategory belongs to one ServiceCategory.
SERVICE_SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "AI and Machine Learning": ("AI Platforms", "Bots", "Generative AI", "Machine Learning",
                                "Natural Language Processing", "Other (AI and Machine Learning)"),
    "Analytics": ("Analytics Platforms", "Business Intelligence", "Data Processing", "Search",
                  "Streaming Analytics", "Other (Analytics)"),
    "Business Applications": ("Productivity and Collaboration", "Other (Business Applications)"),
    "Compute": ("Containers", "End User Computing", "Quantum Compute", "Serverless Compute", "Virtual Machines",
                "Other (Compute)"),
    "Databases": ("Caching", "Data Warehouses", "Ledger Databases", "NoSQL Databases", "Relational Databases",
                  "Time Series Databases", "Other (Databases)"),
    "Developer Tools": ("Developer Platforms", "Continuous Integration and Deployment", "Development Environments",
                        "Source Code Management", "Quality Assurance", "Other (Developer Tools)"),
    "Identity": ("Identity and Access Management", "Other (Identity)"),
    "Integration": ("API Management", "Messaging", "Workflow Orchestration", "Other (Integration)"),
    "Internet of Things": ("IoT Analytics", "IoT Platforms", "Other (Internet of Things)"),
    "Management and Governance": ("Architecture", "Compliance", "Cost Management", "Data Governance",
                                  "Disaster Recovery", "Endpoint Management", "Observability", "Support",
                                  "Other (Management and Governance)"),
    "Media": ("Content Creation", "Gaming", "Media Streaming", "Mixed Reality", "Other (Media)"),
    "Migration": ("Data Migration", "Resource Migration", "Other (Migration)"),
    "Mobile": ("Other (Mobile)",),
    "Multicloud": ("Multicloud Integration", "Other (Multicloud)"),
    "Networking": ("Application Networking", "Content Delivery", "Network Connectivity", "Network Infrastructure",
                   "Network Routing", "Network Security", "Other (Networking)"),
    "Security": ("Secret Management", "Security Posture Management", "Threat Detection and Response",
                 "Other (Security)"),
    "Storage": ("Backup Storage", "Block Storage", "File Storage", "Object Storage", "Storage Platforms",
                "Other (Storage)"),
    "Web": ("Application Platforms", "Other (Web)"),
    "Other": ("Other (Other)",),
}  # fmt: skip

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
    FocusColumn(
        "ServiceSubcategory",
        "service_subcategory",
        "string",
        since="1.1",
        allowed=tuple(sub for subs in SERVICE_SUBCATEGORIES.values() for sub in subs),
    ),
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
VERSIONS = ("1.0", "1.1", "1.2")


def columns_of(version: str) -> tuple[FocusColumn, ...]:
    """The columns FOCUS ``version`` defines (those it introduced and all earlier ones), in the spec's order."""
    if version not in VERSIONS:
        raise ValueError(f"FOCUS version {version!r} is not one of {', '.join(VERSIONS)}")
    return tuple(c for c in COLUMNS if VERSIONS.index(c.since) <= VERSIONS.index(version))
