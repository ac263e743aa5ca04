-- The alerts outbox: detectors (budget crossings, cost anomalies, new policy findings) insert rows; the
-- delivery sensor sends each pending row through every configured notifier and records the outcome.
-- A row is never inserted twice for one dedup_key and action, so a rerun of a detector sends nothing new.
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
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dedup_key, action)
);
