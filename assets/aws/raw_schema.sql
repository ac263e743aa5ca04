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
