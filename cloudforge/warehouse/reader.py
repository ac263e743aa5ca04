"""The read-only role for SQL access: `cloudforge sql`, the dashboards, and psql or a BI tool.

The pipelines write as the warehouse's owner (``CLOUDFORGE_DATABASE_URL``); whoever only reads connects as
``cloudforge_reader``, which may SELECT the marts and snapshots and nothing else (``reader_role.sql``). The
embedded warehouse sets the role up itself; a production warehouse gets it from its admin, and its URL from
``CLOUDFORGE_READER_DATABASE_URL``.
"""

from __future__ import annotations

import getpass
from importlib import resources
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from cloudforge.settings import Settings
from cloudforge.warehouse.connection import connect

READER_ROLE = "cloudforge_reader"
# Roles whose members reach the server's files and programs, or signal other sessions.
SERVER_ROLES = (
    "pg_read_server_files",
    "pg_write_server_files",
    "pg_execute_server_program",
    "pg_signal_backend",
)
HOW_TO_CREATE = "`cloudforge sql --reader-setup` prints the SQL that creates one"


class ReaderNotConfigured(Exception):
    """SQL access has no read-only role to connect as; the message says what to set."""


def reader_database_url(settings: Settings) -> str:
    """The URL to read the warehouse with: ``CLOUDFORGE_READER_DATABASE_URL``, or the embedded warehouse's
    reader (set up on the way). A production warehouse is never read as its owner."""
    if settings.reader_database_url is not None:
        return settings.reader_database_url.get_secret_value()
    if settings.database_url is not None:
        raise ReaderNotConfigured(
            "CLOUDFORGE_READER_DATABASE_URL is not set: SQL access connects as a read-only role, "
            f"not as the owner in CLOUDFORGE_DATABASE_URL ({HOW_TO_CREATE})"
        )
    from cloudforge.local.postgres import embedded_postgres_url

    return grant_reader(embedded_postgres_url(settings.state_dir))


def reader_setup_sql(writer: str, database: str) -> sql.Composed:
    """The statements that create (or repair) the reader role in ``database``, where ``writer`` builds."""
    template = resources.files("cloudforge.warehouse").joinpath("reader_role.sql").read_text()
    return sql.SQL(template).format(
        reader=sql.Identifier(READER_ROLE), writer=sql.Identifier(writer), database=sql.Identifier(database)
    )


def reader_setup_script(owner_url: str) -> str:
    """The setup SQL for an admin to run, for the database and user of ``owner_url`` (libpq's defaults)."""
    owner = psycopg.conninfo.conninfo_to_dict(owner_url)
    user = owner.get("user") or getpass.getuser()
    return reader_setup_sql(user, owner.get("dbname") or user).as_string()


def grant_reader(owner_url: str) -> str:
    """Set up the reader role in the database of ``owner_url`` (a superuser's, as the embedded server's) and
    return the reader's URL: the same server and database, as the reader, without a password."""
    with connect(owner_url, autocommit=True) as conn, conn.transaction():
        # One setup at a time: concurrent GRANTs on one object fail with "tuple concurrently updated".
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('cloudforge reader role'))")
        writer, database = conn.execute("SELECT current_user, current_database()").fetchone()
        conn.execute(reader_setup_sql(writer, database))
    parts = urlsplit(owner_url)
    server = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{READER_ROLE}@{server}").geturl()


def refuse_server_access(conn: psycopg.Connection) -> None:
    """Raise PermissionError when the connection's role is a superuser or may act as one of SERVER_ROLES:
    SQL access must not run as such a role."""
    [(superuser,)] = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchall()
    server_roles = [
        role
        for (role,) in conn.execute(
            "SELECT role FROM unnest(%s::text[]) AS role WHERE pg_has_role(current_user, role, 'MEMBER')",
            [list(SERVER_ROLES)],
        )
    ]
    if superuser or server_roles:
        why = "a superuser" if superuser else "a member of " + ", ".join(server_roles)
        raise PermissionError(
            f"refusing to run SQL as {conn.info.user}, {why}: connect as a read-only role "
            f"(CLOUDFORGE_READER_DATABASE_URL; {HOW_TO_CREATE})"
        )
