"""A real VictoriaMetrics for the session (Debian's ``victoria-metrics``; `make install` installs it)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from cloudforge.local.timeseries import EmbeddedTimeseries, start_embedded_timeseries


@pytest.fixture(scope="session")
def timeseries() -> EmbeddedTimeseries:
    """Started in a fresh directory outside pytest's temp folders; a missing binary fails with how to install it."""
    server = start_embedded_timeseries(Path(tempfile.mkdtemp(prefix="cloudforge-timeseries-")))
    yield server
    server.stop()
