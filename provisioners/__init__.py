"""Provisioning engine and cloud adapters (plain Python, no Dagster): creates what was approved, after the policy check."""
