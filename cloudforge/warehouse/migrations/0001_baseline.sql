-- 0001 baseline: every schema as CloudForge created it before it had migrations (the release of commit 86810c2,
-- when each module ran its own CREATE ... IF NOT EXISTS). Kept with IF NOT EXISTS on purpose: applied to a
-- warehouse of that time it creates only what is missing, which adopts the warehouse at this version; the
-- migrations after it then bring it up to date. Never edit this file (a checksum guards it): add a migration.

-- raw_aws: the AWS API documents as fetched, one row per resource, replaced per
-- (account_id, region, resource_type) slice. Global services (IAM) use region 'global'.
CREATE SCHEMA IF NOT EXISTS raw_aws;

CREATE TABLE IF NOT EXISTS raw_aws.resources (
    account_id    text        NOT NULL,
    region        text        NOT NULL,
    resource_type text        NOT NULL,  -- e.g. ec2_instance, s3_bucket (see assets/aws/collectors.py)
    resource_id   text        NOT NULL,
    arn           text,
    document      jsonb       NOT NULL,  -- the API document, enriched with per-resource calls
    sync_id       uuid        NOT NULL,  -- the ingestion run that loaded the slice
    synced_at     timestamptz NOT NULL,
    PRIMARY KEY (account_id, region, resource_type, resource_id)
);

-- Last outcome of every slice: dbt source freshness and `cloudforge status` read it.
CREATE TABLE IF NOT EXISTS raw_aws.sync_slices (
    account_id     text        NOT NULL,
    region         text        NOT NULL,
    resource_type  text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('ok', 'failed')),
    row_count      integer,
    sync_id        uuid        NOT NULL,
    attempted_at   timestamptz NOT NULL,
    last_success_at timestamptz,
    PRIMARY KEY (account_id, region, resource_type)
);

-- Every failed slice, kept as history.
CREATE TABLE IF NOT EXISTS raw_aws.sync_errors (
    sync_id       uuid        NOT NULL,
    account_id    text        NOT NULL,
    region        text        NOT NULL,
    resource_type text        NOT NULL,
    error_code    text        NOT NULL,  -- AccessDenied, Throttling, Timeout, ...
    message       text        NOT NULL,  -- never carries credentials
    occurred_at   timestamptz NOT NULL
);

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
    invoice_issuer_name                    text        NOT NULL,
    list_cost                              numeric     NOT NULL,
    list_unit_price                        numeric,
    pricing_category                       text,
    pricing_quantity                       numeric,
    pricing_unit                           text,
    provider_name                          text        NOT NULL,
    publisher_name                         text        NOT NULL,
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

-- Status history of every slice load: loaded, quarantined, or failed (an error while loading).
CREATE TABLE IF NOT EXISTS raw_billing.load_log (
    load_id            uuid        NOT NULL,
    provider           text,
    billing_account_id text,
    billing_period     date,
    source_uri         text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('loaded', 'quarantined', 'failed')),
    row_count          bigint      NOT NULL,
    message            text,
    logged_at          timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS load_log_slice ON raw_billing.load_log (provider, billing_account_id, billing_period);

-- raw_policies: what the policy library found in the inventory, and what it was judged against.
-- Written by the policy run (policies/runtime); dbt reads it (models/staging/policies).
CREATE SCHEMA IF NOT EXISTS raw_policies;

-- The library as loaded by the last run: one row per policy, replaced each run.
CREATE TABLE IF NOT EXISTS raw_policies.policies (
    policy_id      text        PRIMARY KEY,       -- CF-AWS-S3-001: stable, findings and waivers key on it
    title          text        NOT NULL,
    description    text        NOT NULL,
    severity       text        NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    category       text        NOT NULL,          -- security | cost | tagging
    resource_types text[]      NOT NULL,          -- the document types it judges
    frameworks     jsonb       NOT NULL,          -- {"cis-aws-foundations-v3.0": ["2.1.4"], ...}
    remediation    text        NOT NULL,
    source_file    text        NOT NULL,          -- the .rego file, relative to its policy directory
    loaded_at      timestamptz NOT NULL
);

-- One row per (policy, resource) ever denied, with its lifecycle. Rows are never deleted: a finding not
-- seen again is resolved, one seen again later is reopened (first_seen_at stays, resolved_at is cleared).
CREATE TABLE IF NOT EXISTS raw_policies.findings (
    finding_id        text        PRIMARY KEY,    -- '<policy_id>:<resource_key>'
    policy_id         text        NOT NULL,
    resource_key      text        NOT NULL,       -- 'aws/<account>/<region>/<type>/<id>', as marts.resources
    account_id        text        NOT NULL,
    region            text        NOT NULL,
    resource_type     text        NOT NULL,
    resource_id       text        NOT NULL,
    severity          text        NOT NULL,
    message           text        NOT NULL,       -- what is wrong, from the policy (latest run)
    status            text        NOT NULL CHECK (status IN ('open', 'resolved', 'waived')),
    waiver_id         bigint,                     -- the waiver that applied in the latest run
    first_seen_at     timestamptz NOT NULL,
    last_seen_at      timestamptz NOT NULL,
    resolved_at       timestamptz,
    status_changed_at timestamptz NOT NULL,       -- the dbt snapshot keys its history on this
    run_id            uuid        NOT NULL        -- the run that last saw or resolved it
) WITH (fillfactor = 50);  -- every run updates every current finding: room for HOT updates

-- Accepted exceptions. SQL users INSERT rows (origin 'sql'); the run replaces the 'config' rows with the
-- waivers in settings (policies.waivers). A waiver applies through the end of expires_on (UTC).
CREATE TABLE IF NOT EXISTS raw_policies.waivers (
    waiver_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id        text        NOT NULL,
    resource_pattern text        NOT NULL DEFAULT '*',  -- glob on resource_key: 'aws/111111111111/*'
    reason           text        NOT NULL CHECK (reason <> ''),
    owner            text        NOT NULL CHECK (owner <> ''),
    expires_on       date        NOT NULL,
    origin           text        NOT NULL DEFAULT 'sql' CHECK (origin IN ('config', 'sql')),
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Inventory rows the latest run could not turn into policy documents (replaced each run). Their earlier
-- findings are left as they were: an unreadable resource is not a fixed one.
CREATE TABLE IF NOT EXISTS raw_policies.mapping_errors (
    resource_key  text        NOT NULL,
    account_id    text        NOT NULL,
    region        text        NOT NULL,
    resource_type text        NOT NULL,
    resource_id   text        NOT NULL,
    error         text        NOT NULL,
    run_id        uuid        NOT NULL,
    evaluated_at  timestamptz NOT NULL
);

-- One row per run: what was evaluated and what changed.
CREATE TABLE IF NOT EXISTS raw_policies.evaluation_runs (
    run_id            uuid        PRIMARY KEY,
    evaluated_at      timestamptz NOT NULL,       -- the `now` the policies judged ages against
    policies          integer     NOT NULL,
    resources         integer     NOT NULL,       -- documents evaluated
    evaluations       bigint      NOT NULL,       -- (resource, policy judging its type) pairs
    mapping_errors    integer     NOT NULL,
    open_findings     integer     NOT NULL,
    waived_findings   integer     NOT NULL,
    new_findings      integer     NOT NULL,       -- became open this run (new, reopened or waiver expired)
    resolved_findings integer     NOT NULL,
    duration_seconds  double precision NOT NULL
);

-- The alerts outbox: detectors (budget crossings, cost anomalies, new policy findings) insert rows; the
-- delivery sensor sends each pending row through every configured notifier and records the outcome.
-- Rows are state changes of a condition (dedup_key): a trigger is inserted only when the condition is not
-- already triggered, a resolve only when it is. A rerun of a detector sends nothing new, and a condition
-- that comes back after it was resolved triggers again.
CREATE SCHEMA IF NOT EXISTS alerts;

CREATE TABLE IF NOT EXISTS alerts.outbox (
    alert_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedup_key       text        NOT NULL,  -- stable identity of the condition, e.g. budget:team:payments:2026-11:80
    action          text        NOT NULL DEFAULT 'trigger' CHECK (action IN ('trigger', 'resolve')),
    source          text        NOT NULL,  -- budget, cost_anomaly, policy_finding, ...
    severity        text        NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
    title           text        NOT NULL,
    summary         text        NOT NULL,  -- one readable paragraph with the numbers
    details         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    link            text,                  -- the dashboard page that explains it
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS outbox_condition ON alerts.outbox (dedup_key, alert_id DESC);

-- One row per (alert, channel) the delivery sensor owes a message. A row is claimed with FOR UPDATE SKIP
-- LOCKED, sent, and marked delivered in the same transaction, so a restarted or second sensor never sends a
-- delivered alert again. Retryable failures (429, 5xx, timeouts) wait until next_attempt_at; other 4xx
-- fail at once. 'expired': the alert was older than alerts.max_age_hours when the channel first saw it
-- (switching a channel on does not replay history).
CREATE TABLE IF NOT EXISTS alerts.deliveries (
    alert_id        bigint      NOT NULL REFERENCES alerts.outbox (alert_id) ON DELETE CASCADE,
    channel         text        NOT NULL,  -- log, slack, pagerduty
    status          text        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'delivered', 'failed', 'expired')),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,                  -- never holds a webhook URL or routing key
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    PRIMARY KEY (alert_id, channel)
);

CREATE INDEX IF NOT EXISTS deliveries_pending ON alerts.deliveries (next_attempt_at) WHERE status = 'pending';
