-- 0002 billing conformance: a load records its conformance warnings, a file without rows (or a link out of its
-- source directory) is recorded as skipped, and PublisherName / InvoiceIssuerName may be missing (a warning, no
-- longer a refusal). Written to apply also to a warehouse that a build between the two releases created in
-- this shape already.

-- conformance warnings: [{"rule", "severity" (warning, normalised), "column", "rows", "reason", "files",
-- "examples"}]; a skipped file's says why
ALTER TABLE raw_billing.load_log ADD COLUMN IF NOT EXISTS warnings jsonb NOT NULL DEFAULT '[]';

ALTER TABLE raw_billing.load_log
    DROP CONSTRAINT IF EXISTS load_log_status_check,
    ADD CONSTRAINT load_log_status_check CHECK (status IN ('loaded', 'quarantined', 'failed', 'skipped'));

ALTER TABLE raw_billing.focus_charges
    ALTER COLUMN publisher_name DROP NOT NULL,
    ALTER COLUMN invoice_issuer_name DROP NOT NULL;
