"""`cloudforge alerts deliver`: flush the outbox once from the command line (the sensor does it every 30 s)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import click

from cloudforge.alerts.config import build_notifiers, delivery_policy
from cloudforge.alerts.delivery import DeliveryReport, drain
from cloudforge.settings import Settings, load_settings
from cloudforge.warehouse import connect, database_url


@click.group()
def alerts() -> None:
    """The alerts outbox: budget crossings, cost anomalies and policy findings to Slack, PagerDuty or the log."""


@alerts.command()
@click.option("--wait", "wait_seconds", default=0.0, show_default=True, type=click.FloatRange(min=0),
              help="Also retry throttled or failed deliveries that fall due within this many seconds.")
def deliver(wait_seconds: float) -> None:
    """Send every pending alert through the configured notifiers; exit 1 if a delivery failed for good."""
    settings = load_settings()
    try:
        with alert_log_on_stderr():
            report = deliver_outbox(database_url(settings), settings, wait_seconds=wait_seconds)
    except (ValueError, ConnectionError) as exc:  # bad alerts.* settings; no warehouse
        raise click.ClickException(str(exc)) from None
    click.echo(f"alerts: {report.summary()}")
    if report.failed:
        raise click.ClickException("some alerts could not be delivered; see alerts.deliveries.last_error")


def deliver_outbox(url: str, settings: Settings, *, wait_seconds: float = 0.0) -> DeliveryReport:
    """Deliver the outbox of the warehouse at ``url`` with the notifiers ``settings`` configure.

    Raises ValueError for bad ``alerts.*`` settings, before connecting.
    """
    notifiers = build_notifiers(settings)
    with connect(url, autocommit=True) as conn:
        return drain(conn, notifiers, clock=settings.clock, wait_seconds=wait_seconds,
                     policy=delivery_policy(settings))


@contextmanager
def alert_log_on_stderr() -> Iterator[None]:
    """Show the ``cloudforge.alerts`` log on stderr while a command delivers: the log notifier's alert lines
    (the default channel), retries and failures."""
    logger = logging.getLogger("cloudforge.alerts")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("  %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
