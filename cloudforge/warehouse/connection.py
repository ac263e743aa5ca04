"""Find the warehouse: ``CLOUDFORGE_DATABASE_URL`` when set, otherwise the embedded PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg

from cloudforge.settings import Settings


def database_url(settings: Settings) -> str:
    """The libpq URL of the warehouse, starting the embedded PostgreSQL if that is the one configured."""
    url = settings.database_url.get_secret_value() if settings.database_url is not None else None
    return warehouse_url(url, settings.state_dir)


def warehouse_url(url: str | None, state_dir: Path) -> str:
    """``url``, else that of the embedded PostgreSQL of ``state_dir`` (started if need be)."""
    if url:
        return url
    from cloudforge.local.postgres import embedded_postgres_url

    return embedded_postgres_url(state_dir)


def connect(url: str, **kwargs) -> psycopg.Connection:
    """A psycopg connection; errors never echo the URL, which may carry a password."""
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as exc:
        reason = " ".join(str(exc).split())  # libpq's message spans lines; one line reads better
        raise ConnectionError(f"cannot connect to the warehouse at {redact_url(url)}: {reason}") from None


def sqlalchemy_url(url: str) -> str:
    """The same database for SQLAlchemy with the psycopg 3 driver."""
    scheme, _, rest = url.partition("://")
    if scheme not in ("postgres", "postgresql"):
        raise ValueError(f"expected a postgresql:// URL, got scheme {scheme!r}")
    return f"postgresql+psycopg://{rest}"


def redact_url(url: str) -> str:
    """host/port/dbname of a URL without user or password, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["local socket"])[0]
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or '/'}"


def dbt_env(url: str) -> dict[str, str]:
    """Environment variables that ``dbt/profiles.yml`` reads, derived from the warehouse URL."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    return {
        "CLOUDFORGE_DB_HOST": str(info.get("host") or "localhost"),
        "CLOUDFORGE_DB_PORT": str(info.get("port") or 5432),
        "CLOUDFORGE_DB_USER": str(info.get("user") or "postgres"),
        "CLOUDFORGE_DB_PASSWORD": str(info.get("password") or ""),
        "CLOUDFORGE_DB_NAME": str(info.get("dbname") or "postgres"),
    }


def create_database(url: str, name: str) -> str:
    """(Re)create an empty database ``name`` on the server of ``url`` and return its URL.

    For benchmarks and tests that must not touch the warehouse's own tables.
    """
    from psycopg import sql

    with connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlsplit(url)._replace(path=f"/{name}").geturl()
