"""The Dagster sensor, built from settings, and the `cloudforge alerts deliver` command, configured as a user
would: environment."""

from __future__ import annotations

import dagster as dg
import pytest
from click.testing import CliRunner
from outbox_samples import BUDGET, DASHBOARD, SLACK_PATH, alert, slack_error, slack_ok
from support.replay import ReplayServer

from assets.resources import WarehouseResource
from cloudforge.alerts import enqueue_alerts
from cloudforge.cli.alerts import alerts
from cloudforge.settings import AlertSettings, load_settings
from pipelines.definitions import build_definitions
from pipelines.sensors import build_alert_delivery_sensor


@pytest.fixture
def slack_env(monkeypatch: pytest.MonkeyPatch, alerts_url: str):
    """Point the settings at the test database and switch Slack on for a receiver (call with its URL)."""
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", alerts_url)
    monkeypatch.setenv("CLOUDFORGE_DASHBOARD_URL", DASHBOARD)
    return lambda receiver: monkeypatch.setenv("CLOUDFORGE_ALERTS__SLACK_WEBHOOK_URL", receiver.url + SLACK_PATH)


def tick(alerts_url: str, slack_url: str) -> dg.SkipReason:
    """One sensor evaluation with a fresh sensor, context and resources, as a restarted daemon would build,
    from settings naming the test database's dashboard and the Slack receiver."""
    settings = load_settings(dashboard_url=DASHBOARD, alerts=AlertSettings(slack_webhook_url=slack_url))
    resources = {"warehouse": WarehouseResource(database_url=alerts_url)}
    with dg.build_sensor_context(resources=resources) as context:
        return build_alert_delivery_sensor(settings)(context)


def test_a_restarted_sensor_does_not_send_again(conn, clock, alerts_url):
    enqueue_alerts(conn, [BUDGET, alert(1)], clock.now())
    with ReplayServer([slack_ok(), slack_ok()]) as receiver:
        first = tick(alerts_url, receiver.url + SLACK_PATH)
        after_restart = tick(alerts_url, receiver.url + SLACK_PATH)

    assert first.skip_message == "alerts: delivered 2, retried 0, failed 0"
    assert after_restart.skip_message == "alerts: delivered 0, retried 0, failed 0"
    assert len(receiver.received) == 2 and receiver.unused() == []
    assert receiver.received[0].body["blocks"][3]["elements"][0]["url"] == f"{DASHBOARD}/budgets?team=payments"


def test_the_code_location_runs_the_sensor_every_30_seconds_from_the_start():
    definitions = build_definitions(load_settings())
    dg.Definitions.validate_loadable(definitions)
    sensor = definitions.resolve_sensor_def("alert_delivery_sensor")
    assert (sensor.minimum_interval_seconds, sensor.default_status) == (30, dg.DefaultSensorStatus.RUNNING)


def test_cloudforge_alerts_deliver_flushes_the_outbox(conn, clock, slack_env):
    enqueue_alerts(conn, [BUDGET, alert(1)], clock.now())
    with ReplayServer([slack_ok(), slack_error(403, "invalid_token")]) as receiver:
        slack_env(receiver)
        first = CliRunner().invoke(alerts, ["deliver"])
        again = CliRunner().invoke(alerts, ["deliver"])

    assert first.exit_code == 1
    assert first.stdout == "alerts: delivered 1, retried 0, failed 1\n"
    assert first.stderr == (
        f"  slack: alert 2 ({alert(1).dedup_key}): failed: HTTP 403: invalid_token\n"
        "Error: some alerts could not be delivered; see alerts.deliveries.last_error\n"
    )
    assert (again.exit_code, again.output) == (0, "alerts: delivered 0, retried 0, failed 0\n")


def test_log_only_by_default_the_command_prints_each_alert(conn, clock, alerts_url, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", alerts_url)
    enqueue_alerts(conn, [BUDGET], clock.now())
    result = CliRunner().invoke(alerts, ["deliver"])
    assert (result.exit_code, result.stdout) == (0, "alerts: delivered 1, retried 0, failed 0\n")
    assert result.stderr == f"  alert trigger [high] budget: {BUDGET.title} — {BUDGET.summary} ({BUDGET.dedup_key})\n"


def test_cloudforge_alerts_deliver_names_a_missing_secret(slack_env, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_ALERTS__CHANNELS", '["slack", "pagerduty"]')
    result = CliRunner().invoke(alerts, ["deliver"])
    assert result.exit_code == 1
    assert "alerts.channels names slack, but alerts.slack_webhook_url" in result.output
