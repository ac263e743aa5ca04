-- raw_terraform: what Terraform states declare, one slice per state file (source_uri), replaced atomically
-- with its serial and lineage. Attribute values are scrubbed of secrets before they get here.
CREATE SCHEMA IF NOT EXISTS raw_terraform;

-- The last outcome of every state file: a failed one keeps its previous declared_resources rows.
CREATE TABLE IF NOT EXISTS raw_terraform.states (
    source_uri        text        PRIMARY KEY,  -- a local path or s3://bucket/key
    source            text        NOT NULL,     -- the configured source it was found below
    workspace         text        NOT NULL,     -- S3 backend workspace (env:/<workspace>/...), else 'default'
    serial            bigint,                   -- of the loaded state; null for an empty file
    lineage           text,
    terraform_version text,
    resource_count    integer,                  -- declared_resources rows of the loaded state
    status            text        NOT NULL CHECK (status IN ('ok', 'failed')),
    message           text,                     -- why the latest attempt failed; never carries a value
    attempted_at      timestamptz NOT NULL,
    loaded_at         timestamptz              -- when the rows in declared_resources were loaded
);

CREATE TABLE IF NOT EXISTS raw_terraform.declared_resources (
    source_uri     text        NOT NULL,
    serial         bigint,
    lineage        text,
    address        text        NOT NULL,  -- module.app.aws_instance.web[0]
    module         text        NOT NULL,  -- '' for the root module
    mode           text        NOT NULL CHECK (mode IN ('managed', 'data')),  -- data: read, not declared
    type           text        NOT NULL,  -- aws_instance
    name           text        NOT NULL,
    index_key      jsonb,                 -- count: a number, for_each: a string, else null
    provider       text        NOT NULL,
    inventory_type text,                  -- raw_aws.resources.resource_type (cloudforge/terraform/types.py)
    resource_id    text,                  -- raw_aws.resources.resource_id
    attributes     jsonb       NOT NULL,  -- the type's comparable attributes, secrets redacted
    loaded_at      timestamptz NOT NULL,
    PRIMARY KEY (source_uri, address)
);
