-- 0006 health checks. raw_health: every check result as history, one row per (check, target, run). Resource
-- checks come from the cloud's own status (EC2 instance and system status, RDS instance status, load balancer
-- target health) per (account_id, region) slice; endpoint checks are the HTTP endpoints of health.endpoints.
CREATE SCHEMA IF NOT EXISTS raw_health;

CREATE TABLE IF NOT EXISTS raw_health.checks (
    check_run_id  uuid             NOT NULL,  -- the collection that produced the row
    check_kind    text             NOT NULL CHECK (check_kind IN ('ec2_instance_status', 'ec2_system_status',
                                                                  'rds_instance_status', 'target_health',
                                                                  'http_endpoint')),
    account_id    text,                       -- null for endpoint checks
    region        text,
    resource_type text,                       -- raw_aws.resources.resource_type; null for endpoint checks
    resource_id   text             NOT NULL,  -- the checked resource (target health: the target), or the endpoint name
    check_target  text             NOT NULL,  -- what was asked: the instance, the target group ARN, the URL
    status        text             NOT NULL CHECK (status IN ('healthy', 'unhealthy', 'unknown')),
    detail        text,                       -- the cloud's status words, or the HTTP status / error
    response_ms   double precision,           -- endpoint checks: the time to the response
    checked_at    timestamptz      NOT NULL,
    PRIMARY KEY (check_run_id, check_kind, resource_id, check_target)
);

CREATE INDEX IF NOT EXISTS checks_latest ON raw_health.checks (check_kind, resource_id, check_target, checked_at DESC);

-- The last outcome of every collection slice: 'aws/<account>/<region>' or 'endpoints'. A failed slice keeps its
-- previous results as the latest.
CREATE TABLE IF NOT EXISTS raw_health.check_slices (
    slice_key       text        PRIMARY KEY,
    status          text        NOT NULL CHECK (status IN ('ok', 'failed')),
    check_count     integer,
    message         text,                     -- why the latest attempt failed; never carries credentials
    attempted_at    timestamptz NOT NULL,
    last_success_at timestamptz
);
