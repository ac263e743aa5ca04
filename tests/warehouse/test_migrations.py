"""Schema migrations on the real embedded PostgreSQL: a warehouse created before migrations keeps every row,
a second upgrade changes nothing, edited, unknown and failing migrations are refused naming the migration."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from psycopg import sql

from cloudforge.cli import main
from cloudforge.local.stack import LocalStack
from cloudforge.settings import load_settings
from cloudforge.warehouse import MigrationError, connect, create_database, ensure_schema
from cloudforge.warehouse.migrations import Migration, bundled_migrations

FIXTURES = Path(__file__).parent / "fixtures" / "before_migrations"
BUNDLED = [migration.id for migration in bundled_migrations()]  # what this release applies, in order
NEXT = len(BUNDLED) + 1  # the version a migration written after this release would take
# The DDL each release ran at materialisation before migrations existed: 86810c2 is the last release before
# the billing conformance change, 2b2224a the one that made it in its CREATE TABLE (fixture copies of both).
RELEASES = {
    "86810c2": ["raw_aws.sql", "raw_billing_86810c2.sql", "raw_policies.sql", "alerts.sql"],
    "2b2224a": ["raw_aws.sql", "raw_billing_2b2224a.sql", "raw_policies.sql", "alerts.sql"],
}
TABLES = [
    "raw_aws.resources", "raw_aws.sync_slices", "raw_aws.sync_errors",
    "raw_billing.focus_charges", "raw_billing.quarantine", "raw_billing.load_log",
    "raw_policies.policies", "raw_policies.findings", "raw_policies.waivers", "raw_policies.mapping_errors",
    "raw_policies.evaluation_runs", "alerts.outbox", "alerts.deliveries",
]
# Columns (type, nullable, default, identity), constraints and indexes of the raw schemas, by name.
SHAPE = """
    SELECT 'column', table_schema || '.' || table_name || '.' || column_name,
           concat_ws(' ', data_type, is_nullable, column_default, is_identity)
      FROM information_schema.columns WHERE table_schema = ANY(%(schemas)s)
    UNION ALL
    SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace::regnamespace::text = ANY(%(schemas)s)
    UNION ALL
    SELECT 'index', schemaname || '.' || indexname, indexdef
      FROM pg_indexes WHERE schemaname = ANY(%(schemas)s)
    ORDER BY 1, 2
"""
SCHEMAS = ["raw_aws", "raw_billing", "raw_policies", "alerts"]


def fresh_database(warehouse_url: str, name: str) -> str:
    return create_database(warehouse_url, f"migrations_{name}")


def created_before_migrations(warehouse_url: str, release: str) -> str:
    """A database as that release left it: its DDL run as it ran it, then rows in every table."""
    url = fresh_database(warehouse_url, f"release_{release}")
    with connect(url, autocommit=True) as conn:
        for name in [*RELEASES[release], "rows.sql"]:
            conn.execute((FIXTURES / name).read_text())
    return url


def rows(conn: psycopg.Connection, table: str) -> list[str]:
    """Every row of ``table`` as the text of its jsonb, sorted: exact for numerics, jsonb, arrays, NULLs.
    Without the column migration 0002 adds, which the test checks on its own."""
    schema, name = table.split(".")
    query = sql.SQL("SELECT (to_jsonb(t) - 'warnings')::text FROM {} AS t ORDER BY 1")
    return [text for (text,) in conn.execute(query.format(sql.Identifier(schema, name)))]


def applied(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT version, name, checksum, applied_at FROM cloudforge_meta.schema_migrations ORDER BY version"
    ).fetchall()


@pytest.mark.parametrize("release", RELEASES)
def test_a_warehouse_created_before_migrations_is_upgraded_and_keeps_every_row(warehouse_url, release):
    url = created_before_migrations(warehouse_url, release)
    with connect(url, autocommit=True) as conn:
        before = {table: rows(conn, table) for table in TABLES}
        assert [len(before[table]) for table in TABLES] == [2, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 2]

        assert [m.id for m in ensure_schema(conn)] == BUNDLED

        logged = conn.execute(
            "SELECT status, warnings::text FROM raw_billing.load_log ORDER BY logged_at"
        ).fetchall()
        assert logged == [("loaded", "[]"), ("quarantined", "[]")]
        assert {table: rows(conn, table) for table in TABLES} == before
        costs = conn.execute("SELECT billed_cost::text FROM raw_billing.focus_charges ORDER BY 1").fetchall()
        assert costs == [("-0.000000001",), ("12.345678901234567890123",)]
        assert [(v, n, c) for v, n, c, _ in applied(conn)] == [
            (m.version, m.name, m.checksum) for m in bundled_migrations()
        ]


@pytest.mark.parametrize("release", RELEASES)
def test_an_upgraded_warehouse_has_the_shape_of_a_new_one(warehouse_url, release):
    upgraded, new = created_before_migrations(warehouse_url, release), fresh_database(warehouse_url, "new")
    shapes = []
    for url in (upgraded, new):
        with connect(url, autocommit=True) as conn:
            ensure_schema(conn)
            shapes.append(conn.execute(SHAPE, {"schemas": SCHEMAS}).fetchall())
    assert shapes[0] == shapes[1]
    assert ("column", "raw_billing.load_log.warnings", "jsonb NO '[]'::jsonb NO") in shapes[1]
    assert ("column", "raw_billing.focus_charges.publisher_name", "text YES NO") in shapes[1]
    assert (
        "constraint",
        "raw_billing.load_log.load_log_status_check",
        "CHECK ((status = ANY (ARRAY['loaded'::text, 'quarantined'::text, 'failed'::text, "
        "'skipped'::text])))",
    ) in shapes[1]


def test_what_the_new_release_writes_fits_an_upgraded_warehouse(warehouse_url):
    url = created_before_migrations(warehouse_url, "86810c2")
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
        conn.execute(
            "INSERT INTO raw_billing.load_log (load_id, source_uri, status, row_count, warnings, logged_at)"
            " VALUES (gen_random_uuid(), 'file:///empty.csv', 'skipped', 0, '[{\"rule\": \"empty\"}]', now())"
        )
        conn.execute(
            "INSERT INTO raw_billing.focus_charges"
            " SELECT * FROM raw_billing.focus_charges WHERE line_item_id = 'line-1'"
        )
        conn.execute(
            "UPDATE raw_billing.focus_charges SET publisher_name = NULL, invoice_issuer_name = NULL"
            " WHERE ctid = (SELECT max(ctid) FROM raw_billing.focus_charges)"
        )
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE raw_billing.load_log SET status = 'lost'")


def test_a_second_upgrade_changes_nothing(warehouse_url):
    url = fresh_database(warehouse_url, "twice")
    with connect(url, autocommit=True) as conn:
        assert len(ensure_schema(conn)) == len(bundled_migrations())
        first = applied(conn)
        assert ensure_schema(conn) == []
        assert applied(conn) == first


def test_an_edited_migration_is_refused(warehouse_url):
    url = fresh_database(warehouse_url, "edited")
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
        baseline, *later = bundled_migrations()
        edited = Migration(1, "baseline", baseline.sql + "\nCREATE TABLE raw_aws.extra (id int);\n")
        with pytest.raises(MigrationError, match=r"migration 0001_baseline differs from the one applied .* "
                                                 r"an applied migration is never edited"):
            ensure_schema(conn, (edited, *later))
        assert conn.execute("SELECT to_regclass('raw_aws.extra')").fetchone() == (None,)


def test_a_warehouse_upgraded_by_a_newer_release_is_refused(warehouse_url):
    url = fresh_database(warehouse_url, "newer")
    newer = (*bundled_migrations(), Migration(NEXT, "from_the_future", "CREATE TABLE raw_aws.future (id int);"))
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn, newer)
        with pytest.raises(MigrationError, match=f"has migration {NEXT:04d}_from_the_future, which this release of "
                                                 "CloudForge does not know"):
            ensure_schema(conn)


def test_a_failing_migration_is_rolled_back_and_named(warehouse_url):
    url = fresh_database(warehouse_url, "failing")
    broken = Migration(NEXT, "broken", "CREATE TABLE raw_aws.half (id int); ALTER TABLE raw_aws.gone ADD x int")
    with connect(url, autocommit=True) as conn:
        with pytest.raises(MigrationError) as refused:
            ensure_schema(conn, (*bundled_migrations(), broken))
        assert str(refused.value) == (
            f"migration {NEXT:04d}_broken failed and was rolled back, the warehouse stays at version {NEXT - 1}: "
            'relation "raw_aws.gone" does not exist'
        )
        assert [version for version, *_ in applied(conn)] == list(range(1, NEXT))
        assert conn.execute("SELECT to_regclass('raw_aws.half')").fetchone() == (None,)


def test_two_processes_upgrading_at_once_apply_each_migration_once(warehouse_url):
    """The first holds the lock through a slow migration; the second waits, then finds it applied. Without the
    lock the second would run it too and fail on the table the first created."""
    url = fresh_database(warehouse_url, "concurrent")
    slow = (Migration(1, "slow", "SELECT pg_sleep(1); CREATE TABLE public.items (id int);"),)
    start = threading.Barrier(2)
    results: list[list[Migration] | Exception] = []

    def upgrade() -> None:
        with connect(url, autocommit=True) as conn:
            start.wait()
            try:
                results.append(ensure_schema(conn, slow))
            except Exception as exc:  # reported by the assertion below
                results.append(exc)

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=len) == [[], list(slow)]


def test_db_status_and_upgrade_commands(warehouse_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", created_before_migrations(warehouse_url, "86810c2"))
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", str(tmp_path))

    pending = CliRunner().invoke(main, ["db", "status"])
    assert (pending.exit_code, pending.output) == (0, "".join(f"{name:<32} pending\n" for name in BUNDLED) + (
        f"{len(BUNDLED)} pending: run `cloudforge db upgrade`\n"
    ))
    upgrade = CliRunner().invoke(main, ["db", "upgrade"])
    assert (upgrade.exit_code, upgrade.output) == (0, "".join(f"applied {name}\n" for name in BUNDLED) + (
        f"the warehouse schema is at version {BUNDLED[-1]}\n"
    ))
    status = CliRunner().invoke(main, ["db", "status"])
    assert status.exit_code == 0
    lines = status.output.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [[name, "applied"] for name in BUNDLED]
    assert lines[-1:] == ["up to date"]


@pytest.mark.parametrize("command", [
    ["db", "upgrade"], ["run"],
    ["demo", "--skip-run", "--dagster-port", "0", "--dashboard-port", "0", "--metrics-port", "0"],
])
def test_a_refused_upgrade_ends_the_command_in_one_line_naming_the_migration(
    warehouse_url, tmp_path, monkeypatch, command
):
    url = fresh_database(warehouse_url, "edited_cli")
    with connect(url, autocommit=True) as conn:
        ensure_schema(conn)
        conn.execute("UPDATE cloudforge_meta.schema_migrations SET checksum = 'f00d' WHERE version = 2")
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", url)
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("CLOUDFORGE_AWS__ENDPOINT_URL", "http://127.0.0.1:9")  # no cloud is started

    result = CliRunner().invoke(main, command)

    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith(
        "Error: migration 0002_billing_conformance differs from the one applied to this warehouse on "
    )


def test_the_stack_of_run_and_demo_upgrades_the_warehouse_at_start(warehouse_url, tmp_path, monkeypatch):
    url = created_before_migrations(warehouse_url, "86810c2")
    # start() exports these to the process: set here, so they are restored after the test
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", url)
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setenv("CLOUDFORGE_AWS__MODE", "real")  # no demo cloud to start
    monkeypatch.setenv("CLOUDFORGE_METRICS__MODE", "disabled")  # nor a time-series server: this is the warehouse
    settings = load_settings()
    said: list[str] = []

    LocalStack.start(settings, progress=said.append).stop()

    assert said == [
        "warehouse: external (CLOUDFORGE_DATABASE_URL)",
        *(f"warehouse schema: applied migration {name}" for name in BUNDLED),
    ]
    with connect(url) as conn:
        warned = conn.execute("SELECT count(*) FROM raw_billing.load_log WHERE warnings = '[]'").fetchone()
    assert warned == (2,)
