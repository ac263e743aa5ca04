"""The warehouse's schema, as numbered SQL migrations applied in order: the one source of every raw table.

``NNNN_name.sql`` files beside this module are the migrations. ``ensure_schema`` applies the ones a warehouse
lacks, each in its own transaction under an advisory lock, and records each in
``cloudforge_meta.schema_migrations`` with a checksum of its text, so two processes starting at once apply
it once, and a migration edited after it was applied is refused rather than half-trusted. It runs where the
tables are needed: at the start of `cloudforge run` and `demo`, in every asset that writes raw tables, and as
`cloudforge db upgrade`. A warehouse created before migrations existed is adopted by the baseline, which
creates only what it lacks (see ``0001_baseline.sql``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources

import psycopg

from cloudforge.warehouse.locks import lock_key

MIGRATION_FILE = re.compile(r"(\d{4})_(\w+)\.sql")
SCHEMA_LOCK = lock_key("cloudforge", "schema migrations")
CREATE_VERSION_TABLE = """
    CREATE SCHEMA IF NOT EXISTS cloudforge_meta;
    CREATE TABLE IF NOT EXISTS cloudforge_meta.schema_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        checksum   text        NOT NULL,  -- sha256 of the migration's text as applied
        applied_at timestamptz NOT NULL DEFAULT now()
    )
"""


class MigrationError(RuntimeError):
    """The warehouse cannot be brought to this release's schema; the message names the migration and why."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def id(self) -> str:
        return f"{self.version:04d}_{self.name}"

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


Migrations = tuple[Migration, ...]


@dataclass(frozen=True)
class MigrationState:
    migration: Migration
    applied_at: datetime | None  # None: pending


@cache
def bundled_migrations() -> Migrations:
    """The migrations shipped with this release, in order; their numbers run 1, 2, ... without a gap."""
    found = []
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".sql"):
            match = MIGRATION_FILE.fullmatch(entry.name)
            if match is None:
                raise MigrationError(f"{entry.name}: a migration's file name is NNNN_name.sql")
            found.append(Migration(int(match[1]), match[2], entry.read_text()))
    found.sort(key=lambda m: m.version)
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise MigrationError(f"migrations are numbered 1, 2, ... without gaps or repeats, found {numbers}")
    return tuple(found)


def ensure_schema(conn: psycopg.Connection, migrations: Migrations | None = None) -> list[Migration]:
    """Apply the migrations this warehouse lacks and return them (none when it is up to date: a short read
    without a lock, so callers may run it before every load).

    Each is applied in its own transaction: one that fails is rolled back whole and raises ``MigrationError``
    naming it, leaving the warehouse at the version before it. Raises ``MigrationError`` as well, before
    applying anything, when an applied migration was edited since or is unknown to this release.
    """
    migrations = bundled_migrations() if migrations is None else migrations
    with conn.transaction():
        if _version_table_exists(conn) and not _pending(conn, migrations):
            return []
    applied_now = []
    while True:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])  # whoever waited sees it applied
            conn.execute(CREATE_VERSION_TABLE)
            pending = _pending(conn, migrations)
            if not pending:
                return applied_now
            migration = pending[0]
            try:
                conn.execute(migration.sql)
            except psycopg.Error as exc:
                raise MigrationError(
                    f"migration {migration.id} failed and was rolled back, the warehouse stays at version "
                    f"{migration.version - 1}: {exc.diag.message_primary or exc}"
                ) from None
            conn.execute(
                "INSERT INTO cloudforge_meta.schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                [migration.version, migration.name, migration.checksum],
            )
        applied_now.append(migration)


def schema_status(conn: psycopg.Connection, migrations: Migrations | None = None) -> list[MigrationState]:
    """Every migration of this release, with when it was applied to this warehouse (None: pending).

    Raises ``MigrationError`` as ``ensure_schema`` would, for an edited or unknown applied migration.
    """
    migrations = bundled_migrations() if migrations is None else migrations
    applied = _applied(conn, migrations) if _version_table_exists(conn) else {}
    return [MigrationState(m, applied.get(m.version)) for m in migrations]


def _version_table_exists(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT to_regclass('cloudforge_meta.schema_migrations') IS NOT NULL").fetchone()[0]


def _pending(conn: psycopg.Connection, migrations: Migrations) -> list[Migration]:
    applied = _applied(conn, migrations)
    return [m for m in migrations if m.version not in applied]


def _applied(conn: psycopg.Connection, migrations: Migrations) -> dict[int, datetime]:
    """When each applied migration was applied, by version, after checking each is one of ``migrations`` as
    it was applied."""
    known = {m.version: m for m in migrations}
    applied = {}
    rows = conn.execute(
        "SELECT version, name, checksum, applied_at FROM cloudforge_meta.schema_migrations ORDER BY version"
    ).fetchall()
    for version, name, checksum, applied_at in rows:
        migration = known.get(version)
        if migration is None:
            raise MigrationError(
                f"the warehouse has migration {version:04d}_{name}, which this release of CloudForge does "
                "not know: a newer release upgraded it; run that release (or a later one)"
            )
        if checksum != migration.checksum:
            raise MigrationError(
                f"migration {migration.id} differs from the one applied to this warehouse on "
                f"{applied_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC (checksum {checksum[:12]}, now "
                f"{migration.checksum[:12]}): "
                "an applied migration is never edited; restore it and put the change in a new migration"
            )
        applied[version] = applied_at
    return applied
