"""The dashboards' only way to the warehouse: the read-only engine, cached queries' lifetime and the errors
that mean the marts cannot answer yet.

Every statement goes through ``query``, which turns a warehouse that cannot answer yet (no marts schema,
unreachable server) into ``WarehouseNotReady``, so the app shows what to do instead of a traceback. The
database URL never leaves this module, and no message here contains it. ``settings`` gives the settings
that dashboards/app.py, the entry point, loaded once per session.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import psycopg.errors
import streamlit as st
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from cloudforge.settings import Settings
from cloudforge.warehouse import sqlalchemy_url
from cloudforge.warehouse.connection import redact_url
from cloudforge.warehouse.reader import ReaderNotConfigured, reader_database_url

# Marts change once per `cloudforge run`; a few minutes of staleness keeps reruns instant.
TTL = timedelta(minutes=5)
TABLE_LIMIT = 5000
CONNECT_TIMEOUT_SECONDS = 10
RUN_FIRST = "Run `cloudforge run` first to sync the inventory and build the marts."

# Errors that mean the marts were not built yet (or predate this dashboard), not that the SQL is wrong.
_MARTS_MISSING = (
    psycopg.errors.UndefinedTable,
    psycopg.errors.InvalidSchemaName,
    psycopg.errors.UndefinedColumn,
)


class WarehouseNotReady(Exception):
    """The marts cannot answer yet; the message says why and what to do, and never holds the URL."""


def settings() -> Settings:
    """The settings the entry point (dashboards/app.py) loaded for this session: every page reads them here."""
    return st.session_state["settings"]


def _engine() -> Engine:
    configured = settings()
    warehouse = tuple(
        secret.get_secret_value() if secret else None
        for secret in (configured.reader_database_url, configured.database_url)
    )
    return _pooled_engine(configured, (*warehouse, str(configured.state_dir)))


@st.cache_resource(show_spinner=False)
def _pooled_engine(_settings: Settings, warehouse: tuple[str | None, ...]) -> Engine:
    """One pooled engine per process and warehouse (the settings' URLs and state directory), as the
    read-only role: ``reader_database_url`` when set, else the embedded PostgreSQL's reader.

    The connect timeout turns an unreachable server into WarehouseNotReady instead of a page that hangs.
    """
    url = sqlalchemy_url(reader_database_url(_settings))
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


def query(statement: str, **params: object) -> pd.DataFrame:
    """Run one parameterised statement; a warehouse that cannot answer yet raises WarehouseNotReady."""
    try:
        engine = _engine()
    except ReaderNotConfigured as exc:
        raise WarehouseNotReady(str(exc)) from None
    try:
        with engine.connect() as conn:
            result = conn.execute(text(statement), params)
            return pd.DataFrame(result.all(), columns=list(result.keys()))
    except ProgrammingError as exc:
        if isinstance(exc.orig, _MARTS_MISSING):
            raise WarehouseNotReady(f"The warehouse has no inventory marts yet. {RUN_FIRST}") from None
        raise
    except OperationalError:
        where = redact_url(engine.url.render_as_string(hide_password=True))
        raise WarehouseNotReady(
            f"Cannot reach the warehouse at {where}. Check that it is running and that "
            "CLOUDFORGE_READER_DATABASE_URL points at it."
        ) from None


def any_of(column: str, parameter: str) -> str:
    """SQL: ``column`` is one of the array parameter's values, or the array is empty (no filter)."""
    return f"(cardinality(CAST(:{parameter} AS text[])) = 0 OR {column} = ANY(CAST(:{parameter} AS text[])))"


