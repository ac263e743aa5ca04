"""Ingestion by source: plain extraction functions plus thin Dagster asset wrappers."""
