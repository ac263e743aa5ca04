-- raw_billing: FOCUS billing rows of every provider, as delivered, one row per line item.
-- Column names and types follow assets/billing/focus.py (FOCUS name -> column); a test holds the two together.
-- Each (provider, billing_account_id, billing_period) slice is replaced atomically on every load, because
-- providers restate the open month every day.
CREATE SCHEMA IF NOT EXISTS raw_billing;

CREATE TABLE IF NOT EXISTS raw_billing.focus_charges (
    -- FOCUS 1.0
    availability_zone                      text,
    billed_cost                            numeric     NOT NULL,
    billing_account_id                     text        NOT NULL,  -- slice key
    billing_account_name                   text,
    billing_currency                       text        NOT NULL,
    billing_period_end                     timestamptz NOT NULL,
    billing_period_start                   timestamptz NOT NULL,
    charge_category                        text        NOT NULL,
    charge_class                           text,
    charge_description                     text,
    charge_frequency                       text,
    charge_period_end                      timestamptz NOT NULL,
    charge_period_start                    timestamptz NOT NULL,
    commitment_discount_category           text,
    commitment_discount_id                 text,
    commitment_discount_name               text,
    commitment_discount_status             text,
    commitment_discount_type               text,
    consumed_quantity                      numeric,
    consumed_unit                          text,
    contracted_cost                        numeric     NOT NULL,
    contracted_unit_price                  numeric,
    effective_cost                         numeric     NOT NULL,
    invoice_issuer_name                    text,
    list_cost                              numeric     NOT NULL,
    list_unit_price                        numeric,
    pricing_category                       text,
    pricing_quantity                       numeric,
    pricing_unit                           text,
    provider_name                          text        NOT NULL,
    publisher_name                         text,
    region_id                              text,
    region_name                            text,
    resource_id                            text,
    resource_name                          text,
    resource_type                          text,
    service_category                       text        NOT NULL,
    service_name                           text        NOT NULL,
    sku_id                                 text,
    sku_price_id                           text,
    sub_account_id                         text,
    sub_account_name                       text,
    tags                                   jsonb,
    -- FOCUS 1.1
    capacity_reservation_id                text,
    capacity_reservation_status            text,
    commitment_discount_quantity           numeric,
    commitment_discount_unit               text,
    service_subcategory                    text,
    sku_meter                              text,
    sku_price_details                      jsonb,
    -- FOCUS 1.2
    billing_account_type                   text,
    invoice_id                             text,
    pricing_currency                       text,
    pricing_currency_contracted_unit_price numeric,
    pricing_currency_effective_cost        numeric,
    pricing_currency_list_unit_price       numeric,
    sub_account_type                       text,
    -- load metadata
    line_item_id   text        NOT NULL,  -- x_LineItemId of the source, else a hash of the row (docs/focus.md)
    extensions     jsonb,                 -- the source's x_ columns, e.g. {"x_ServiceCode": "AmazonEC2"}
    provider       text        NOT NULL,  -- slice key: aws, azure, gcp or a slug of ProviderName
    billing_period date        NOT NULL,  -- slice key: BillingPeriodStart as a UTC date
    source_uri     text        NOT NULL,  -- the file, object or query the row came from
    load_id        uuid        NOT NULL,
    loaded_at      timestamptz NOT NULL
);
-- The slice key finds the rows a load replaces. line_item_id is unique per slice, checked by the gate before
-- every load rather than by a unique index, which would cost most of COPY's speed.
CREATE INDEX IF NOT EXISTS focus_charges_slice ON raw_billing.focus_charges (provider, billing_account_id, billing_period);

-- Slices the validation gate refused, one row per broken rule; the slice's previous rows stay loaded.
CREATE TABLE IF NOT EXISTS raw_billing.quarantine (
    load_id            uuid        NOT NULL,
    provider           text,                  -- null when the rows carry no usable slice key
    billing_account_id text,
    billing_period     date,
    source_uri         text        NOT NULL,  -- the file(s) holding the offending rows
    rule               text        NOT NULL,  -- e.g. allowed_values, charge_period_order
    reason             text        NOT NULL,
    failing_rows       bigint      NOT NULL,
    example_rows       jsonb       NOT NULL,  -- [{"file": ..., "record": n, <columns of the rule>...}]
    quarantined_at     timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_load_id ON raw_billing.quarantine (load_id);

-- Status history of every slice load: loaded, quarantined, failed (an error while loading), or skipped (a file
-- without rows, or a link out of its source directory).
CREATE TABLE IF NOT EXISTS raw_billing.load_log (
    load_id            uuid        NOT NULL,
    provider           text,
    billing_account_id text,
    billing_period     date,
    source_uri         text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('loaded', 'quarantined', 'failed', 'skipped')),
    row_count          bigint      NOT NULL,
    message            text,
    -- conformance warnings: [{"rule", "severity" (warning, normalised), "column", "rows", "reason", "files",
    -- "examples"}]; a skipped file's says why
    warnings           jsonb       NOT NULL DEFAULT '[]',
    logged_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS load_log_slice ON raw_billing.load_log (provider, billing_account_id, billing_period);
