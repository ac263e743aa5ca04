-- 0004 drift. Where each declared resource lives (account and region, from its ARN), so drift can tell a resource
-- missing in one account from the same name running in another. Serials are forgotten, so the next load reads every
-- state again (an unchanged state is otherwise not reloaded) and fills the new columns.
ALTER TABLE raw_terraform.declared_resources
    ADD COLUMN IF NOT EXISTS account_id text,  -- from the instance's ARN; null when it has none (S3 buckets)
    ADD COLUMN IF NOT EXISTS region     text;  -- from the ARN or the region attribute; 'global' for IAM

UPDATE raw_terraform.states SET serial = NULL WHERE serial IS NOT NULL;
