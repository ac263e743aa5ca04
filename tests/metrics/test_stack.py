"""The stack starts the embedded time-series server behind the metrics setting, hands its URL to children, and
stops it with everything else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from cloudforge.local.stack import LocalStack
from cloudforge.local.timeseries import TimeseriesError, find_embedded_timeseries, start_embedded_timeseries
from cloudforge.settings import load_settings
from tests.support.processes import descendants, wait_until_gone


@pytest.fixture
def restored_environment():
    """LocalStack.start exports the stack's variables to this process: put the environment back afterwards."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def start_stack(tmp_path: Path, warehouse_url: str, metrics: dict) -> LocalStack:
    settings = load_settings(state_dir=tmp_path, database_url=warehouse_url, aws={"mode": "real"}, metrics=metrics)
    return LocalStack.start(settings, progress=lambda _line: None)


def test_the_stack_starts_and_stops_the_embedded_timeseries_server(
    tmp_path: Path, warehouse_url: str, restored_environment: None
) -> None:
    stack = start_stack(tmp_path, warehouse_url, {"mode": "embedded"})
    try:
        server = find_embedded_timeseries(tmp_path)
        assert server is not None and server.url == stack.metrics_url
        assert stack.environment()["CLOUDFORGE_METRICS__URL"] == server.url
        assert load_settings().metrics.url == server.url  # what a child process of the stack reads
        started = descendants(server.pid)
        assert started
    finally:
        stack.stop()
    assert wait_until_gone(started, timeout=1) == set()
    assert not server.healthy()
    assert find_embedded_timeseries(tmp_path) is None


def test_a_second_stack_reuses_the_running_server_and_leaves_it_running(
    tmp_path: Path, warehouse_url: str, restored_environment: None
) -> None:
    first = start_stack(tmp_path, warehouse_url, {"mode": "embedded"})
    try:
        second = start_stack(tmp_path, warehouse_url, {"mode": "embedded"})
        assert second.metrics_url == first.metrics_url
        second.stop()
        assert find_embedded_timeseries(tmp_path) is not None
    finally:
        first.stop()
    assert find_embedded_timeseries(tmp_path) is None


def test_stopping_the_stack_puts_back_the_environment_it_exported(
    tmp_path: Path, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later work in the same process (the next test, a second command) must not reach the stopped servers."""
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", "/somewhere/else")
    monkeypatch.delenv("CLOUDFORGE_METRICS__URL", raising=False)
    before = dict(os.environ)
    stack = start_stack(tmp_path, warehouse_url, {"mode": "embedded"})
    assert os.environ["CLOUDFORGE_METRICS__URL"] == stack.metrics_url
    assert os.environ["CLOUDFORGE_STATE_DIR"] == str(tmp_path)
    stack.stop()
    assert dict(os.environ) == before


def test_disabled_metrics_start_no_server(tmp_path: Path, warehouse_url: str, restored_environment: None) -> None:
    os.environ.pop("CLOUDFORGE_METRICS__URL", None)
    stack = start_stack(tmp_path, warehouse_url, {"mode": "disabled"})
    stack.stop()
    assert stack.metrics_url is None and "CLOUDFORGE_METRICS__URL" not in stack.environment()
    assert not (tmp_path / "timeseries").exists()


def test_influxdb_mode_needs_its_url_org_and_token_and_keeps_the_token_secret() -> None:
    with pytest.raises(ValidationError, match="metrics mode influxdb needs url, org and token"):
        load_settings(metrics={"mode": "influxdb", "url": "https://influx.example:8086", "org": "ops"})
    metrics = load_settings(metrics={"mode": "influxdb", "url": "https://influx.example:8086", "org": "ops",
                                     "token": "s3cret-token"}).metrics
    assert metrics.token.get_secret_value() == "s3cret-token"
    assert "s3cret-token" not in repr(metrics) and "s3cret-token" not in str(metrics)


def test_a_missing_server_binary_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a directory without victoria-metrics
    with pytest.raises(TimeseriesError, match=r"'victoria-metrics' is not installed: `make install` installs it"):
        start_embedded_timeseries(tmp_path)
    assert not (tmp_path / "timeseries").exists()
