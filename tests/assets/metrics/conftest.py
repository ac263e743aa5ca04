"""Fixtures for the metrics collection tests: the session's real VictoriaMetrics (from tests/metrics)."""

from tests.metrics.conftest import timeseries  # noqa: F401  (a fixture: pytest finds it by name)
