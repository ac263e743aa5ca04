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
