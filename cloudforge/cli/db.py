"""`cloudforge db upgrade` and `cloudforge db status`: the warehouse's schema migrations, from the shell.

`cloudforge run` and `demo` upgrade at start, and every asset before it writes; an admin upgrades a production
warehouse with this command before the pipelines run there, or looks at what is applied and what is pending.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC

import click
import psycopg

from cloudforge.settings import load_settings
from cloudforge.warehouse import MigrationError, connect, database_url, ensure_schema
from cloudforge.warehouse.migrations import bundled_migrations, schema_status


@click.group()
def db() -> None:
    """The warehouse's schema: apply the pending migrations, or list them."""


@db.command()
def upgrade() -> None:
    """Apply every pending migration, each in its own transaction; exit 1 naming the one that failed."""
    with warehouse() as conn:
        applied = ensure_schema(conn)
    for migration in applied:
        click.echo(f"applied {migration.id}")
    click.echo(f"the warehouse schema is at version {bundled_migrations()[-1].id}")


@db.command()
def status() -> None:
    """Every migration of this release: when it was applied to the warehouse, or pending."""
    with warehouse() as conn:
        states = schema_status(conn)
    for state in states:
        if state.applied_at is None:
            click.echo(f"{state.migration.id:<32} pending")
        else:
            applied_at = state.applied_at.astimezone(UTC)
            click.echo(f"{state.migration.id:<32} applied {applied_at:%Y-%m-%d %H:%M:%S} UTC")
    pending = sum(state.applied_at is None for state in states)
    click.echo(f"{pending} pending: run `cloudforge db upgrade`" if pending else "up to date")


@contextmanager
def warehouse() -> Iterator[psycopg.Connection]:
    """The configured warehouse; no connection, or a migration refused, ends the command in one line."""
    try:
        with connect(database_url(load_settings()), autocommit=True) as conn:
            yield conn
    except (ConnectionError, MigrationError) as exc:
        raise click.ClickException(str(exc)) from None
