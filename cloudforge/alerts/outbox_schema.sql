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
