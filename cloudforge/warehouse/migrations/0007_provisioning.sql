-- 0007 provisioning: requests, their plans and approvals, the ledger of what each node created, and the
-- append-only audit log of every step (provisioners/ledger.py).
CREATE SCHEMA IF NOT EXISTS provisioning;

CREATE TABLE IF NOT EXISTS provisioning.requests (
    request_id       text        PRIMARY KEY,  -- req-<digest of account, region, name>: stable
    name             text        NOT NULL,
    blueprint        text        NOT NULL,
    account_id       text        NOT NULL,
    region           text        NOT NULL,
    requested_by     text        NOT NULL,
    team             text,
    document         jsonb       NOT NULL,     -- the request as given (blueprint, parameters, tags, ...)
    status           text        NOT NULL DEFAULT 'requested' CHECK (status IN (
                         'requested', 'blocked', 'awaiting_approval', 'approved', 'applying', 'applied',
                         'failed', 'destroying', 'destroyed')),
    plan_hash        text,                     -- of the latest plan (provisioners/planning.py plan_hash)
    plan             jsonb,                    -- its nodes, findings, estimate and budget verdict
    monthly_estimate numeric(18, 2),
    approvals_needed integer     NOT NULL DEFAULT 1,  -- 2 when the estimate pushes the budget's forecast over
    message          text,                     -- why it is blocked or failed
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS provisioning.approvals (
    request_id  text        NOT NULL REFERENCES provisioning.requests ON DELETE CASCADE,
    plan_hash   text        NOT NULL,  -- what was approved: a changed plan needs approving again
    approved_by text        NOT NULL,
    approved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, plan_hash, approved_by)
);

-- Node id -> what the cloud created for it. Written before each create ('creating') and after it
-- ('created' with the physical id), so a retry or a resumed run knows what may already exist.
CREATE TABLE IF NOT EXISTS provisioning.nodes (
    request_id    text        NOT NULL REFERENCES provisioning.requests ON DELETE CASCADE,
    node_id       text        NOT NULL,  -- web[0]
    address       text        NOT NULL,  -- aws_instance.web[0]
    resource_type text        NOT NULL,  -- the Terraform type
    physical_id   text,                  -- the id AWS gave it (instance id, bucket name, ARN, ...)
    attributes    jsonb       NOT NULL DEFAULT '{}',  -- what other nodes may refer to
    status        text        NOT NULL CHECK (status IN ('creating', 'created', 'failed', 'deleting', 'deleted')),
    message       text,                  -- why it failed
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, node_id)
);

CREATE TABLE IF NOT EXISTS provisioning.events (
    event_id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id     text        NOT NULL,
    node_id        text,
    event          text        NOT NULL,  -- requested, planned, gate, approved, create, created, failed, ...
    detail         jsonb       NOT NULL DEFAULT '{}',
    api_request_id text,                  -- AWS's request id of the call, when there was one
    actor          text,
    at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS events_by_request ON provisioning.events (request_id, event_id);

-- The audit log is append-only: rows are never changed or removed.
CREATE OR REPLACE FUNCTION provisioning.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'provisioning.events is append-only: % refused', TG_OP;
END
$$;
DROP TRIGGER IF EXISTS events_append_only ON provisioning.events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON provisioning.events
    FOR EACH STATEMENT EXECUTE FUNCTION provisioning.refuse_event_change();
