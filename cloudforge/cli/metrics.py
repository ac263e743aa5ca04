"""`cloudforge metrics serve`: expose /metrics over HTTP until stopped (Ctrl-C, SIGTERM)."""

from __future__ import annotations

import time

import click

from cloudforge.settings import load_settings


@click.group()
def metrics() -> None:
    """The platform's own figures for Prometheus."""


@metrics.command()
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Where to listen: loopback by default; 0.0.0.0 for every interface.")
@click.option("--port", default=9464, show_default=True)
def serve(address: str, port: int) -> None:
    """Serve /metrics (prometheus_client text format), read from the warehouse at every scrape."""
    from prometheus_client import CollectorRegistry, start_http_server

    from cloudforge.exporter.collector import WarehouseCollector
    from cloudforge.local.processes import Stop
    from cloudforge.warehouse import database_url

    settings = load_settings()
    registry = CollectorRegistry(auto_describe=False)
    try:
        registry.register(WarehouseCollector(database_url(settings), settings))
        server, thread = start_http_server(port, addr=address, registry=registry)
    except (OSError, ConnectionError) as error:
        raise click.ClickException(f"cannot serve metrics on {address}:{port}: {error}") from None
    click.echo(f"serving http://{address}:{port}/metrics; Ctrl-C stops", err=False)
    try:
        while thread.is_alive():
            time.sleep(0.5)
    except Stop as stop:
        raise SystemExit(stop.exit_code) from None
    finally:
        server.shutdown()
        server.server_close()
