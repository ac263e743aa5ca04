-- 0005 metrics rollups. raw_metrics: hourly and daily rollups of the cloud metrics per resource, so dbt, the
-- dashboards and SQL users never need the time-series server. Replaced per (account_id, region) slice and window.
CREATE SCHEMA IF NOT EXISTS raw_metrics;

CREATE TABLE IF NOT EXISTS raw_metrics.rollups (
    account_id    text             NOT NULL,
    region        text             NOT NULL,
    resource_type text             NOT NULL,  -- raw_aws.resources.resource_type: ec2_instance, rds_instance, ...
    resource_id   text             NOT NULL,  -- raw_aws.resources.resource_id
    namespace     text             NOT NULL,  -- CloudWatch namespace: AWS/EC2, AWS/RDS, AWS/ApplicationELB, ...
    metric        text             NOT NULL,  -- CloudWatch metric name: CPUUtilization, NetworkIn, ...
    period        text             NOT NULL CHECK (period IN ('hour', 'day')),
    bucket_start  timestamptz      NOT NULL,  -- start of the hour or UTC day
    samples       integer          NOT NULL CHECK (samples > 0),
    avg           double precision NOT NULL,
    p95           double precision NOT NULL,
    max           double precision NOT NULL,
    sum           double precision NOT NULL,
    loaded_at     timestamptz      NOT NULL,
    PRIMARY KEY (account_id, region, resource_id, namespace, metric, period, bucket_start)
);

-- The last outcome of every (account_id, region) collection: a failed one keeps the previous rollups.
CREATE TABLE IF NOT EXISTS raw_metrics.collection_slices (
    account_id      text        NOT NULL,
    region          text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('ok', 'failed')),
    window_start    timestamptz NOT NULL,  -- the lookback window read, overlap included
    window_end      timestamptz NOT NULL,
    point_count     integer,
    message         text,                  -- why the latest attempt failed; never carries credentials
    attempted_at    timestamptz NOT NULL,
    last_success_at timestamptz,
    PRIMARY KEY (account_id, region)
);
