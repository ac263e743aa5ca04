"""How FOCUS charges are loaded: which columns are essential, the extension and meta columns, the slice key.

The columns themselves (FOCUS name -> PostgreSQL column, type, presence, nulls, allowed values) are the
project's one FOCUS specification, ``cloudforge.focus``; the reader, the validation gate, the loader and the
table's migrations follow it (a test holds the table to it). Extension columns (prefix ``x_``, such as
``x_ServiceCode`` in AWS exports) are kept together in the jsonb column ``extensions``.

A frame handed to the loader uses the FOCUS names as column names. Values may be text (as in CSV files) or
typed (decimals, integers, floats, datetimes, dates); ``conform.conform`` types them.
"""

from __future__ import annotations

import polars as pl

from cloudforge.focus import DTYPES, columns_of

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
    schema = {c.name: DTYPES[c.kind] for c in columns_of("1.0")}
    return pl.DataFrame(records, schema=schema | dict.fromkeys(extensions, pl.String()))
