"""Dagster wiring only: definitions, resources, dbt assets, jobs, schedules, sensors, checks."""
