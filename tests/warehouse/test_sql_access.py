"""`cloudforge sql` on the embedded warehouse reads as cloudforge_reader: every write, escape to the server's
files or programs, and signal to other sessions is refused, and nothing changes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from cloudforge.cli import main
from cloudforge.local.postgres import embedded_postgres_url
from cloudforge.warehouse.reader import READER_ROLE, SERVER_ROLES

RESOURCES = 6
SEVERAL = "Error: one statement at a time: the query holds several"


@pytest.fixture(scope="module")
def state_dir() -> Path:
    """The embedded warehouse of a fresh state directory, with a small marts table and a raw table."""
    state = Path(tempfile.mkdtemp(prefix="cloudforge-sql-access-"))
    owner_url = embedded_postgres_url(state, delete_on_exit=True)
    with psycopg.connect(owner_url) as conn:
        conn.execute("CREATE SCHEMA marts")
        conn.execute(
            "CREATE TABLE marts.resources AS SELECT g AS id, 'r-' || g AS name FROM generate_series(1, %s) g",
            [RESOURCES],
        )
        conn.execute("CREATE SCHEMA raw_aws")
        conn.execute("CREATE TABLE raw_aws.resources AS SELECT 1 AS id")
    return state


@pytest.fixture
def embedded(state_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", str(state_dir))
    for name in ("CLOUDFORGE_DATABASE_URL", "CLOUDFORGE_READER_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return state_dir


@pytest.fixture
def owner(embedded: Path) -> psycopg.Connection:
    """A session of the warehouse's owner (the superuser the pipelines write as), open during the probes."""
    with psycopg.connect(embedded_postgres_url(embedded), autocommit=True) as conn:
        yield conn


def cloudforge_sql(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["sql", *args])
    return result.exit_code, result.output


def catalogue(owner: psycopg.Connection) -> tuple:
    """What the probes must leave as it is: the rows and every table outside the system schemas."""
    [(rows,)] = owner.execute("SELECT count(*) FROM marts.resources").fetchall()
    tables = owner.execute(
        "SELECT schemaname, tablename FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
    ).fetchall()
    return rows, tables


def test_reads_the_marts(embedded):
    assert cloudforge_sql("SELECT count(*) AS resources, current_user AS reader FROM marts.resources") == (
        0,
        f"resources  reader\n---------  -----------------\n{RESOURCES}          {READER_ROLE}\n(1 rows)\n",
    )


def test_url_names_the_reader(embedded):
    code, output = cloudforge_sql("--url")
    assert code == 0
    assert output.startswith(f"postgresql://{READER_ROLE}@/postgres?host=")
    with psycopg.connect(output.strip()) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (READER_ROLE,)


@pytest.mark.parametrize(
    "query",
    [
        "COMMIT; DELETE FROM marts.resources",
        "END; DELETE FROM marts.resources",
        "ROLLBACK; DELETE FROM marts.resources",
        "ABORT; DELETE FROM marts.resources",
        "COMMIT; CREATE TABLE marts.extra (id int)",
        "COMMIT; DROP TABLE marts.resources",
        "SELECT 1; SELECT 2",
    ],
)
def test_several_statements_are_refused(owner, query):
    before = catalogue(owner)

    assert cloudforge_sql(query) == (1, SEVERAL + "\n")
    assert catalogue(owner) == before


PROBES = {
    "DELETE FROM marts.resources": "cannot execute DELETE in a read-only transaction",
    "CREATE TABLE marts.extra (id int)": "cannot execute CREATE TABLE in a read-only transaction",
    "DROP TABLE marts.resources": "cannot execute DROP TABLE in a read-only transaction",
    "COPY (SELECT 1) TO PROGRAM 'id > {marker}'": "permission denied to COPY to or from an external program",
    "SELECT pg_read_file('/etc/passwd')": "permission denied for function pg_read_file",
    "SELECT pg_reload_conf()": "permission denied for function pg_reload_conf",
    "SELECT pg_terminate_backend({owner_pid})": "permission denied to terminate process",
    "SELECT count(*) FROM raw_aws.resources": "permission denied for schema raw_aws",
}


@pytest.mark.parametrize("probe", PROBES)
def test_probe_is_refused_and_changes_nothing(owner, tmp_path, probe):
    marker = tmp_path / "x"
    owner_pid = owner.info.backend_pid
    before = catalogue(owner)

    code, output = cloudforge_sql(probe.format(marker=marker, owner_pid=owner_pid))

    assert (code, output) == (1, f"Error: the query failed: {PROBES[probe]}\n")
    assert catalogue(owner) == before
    assert not marker.exists()
    assert owner.execute("SELECT pg_backend_pid()").fetchone() == (owner_pid,)  # the session survived


def test_turning_read_only_off_lasts_one_session_only(owner):
    """A user-settable parameter: the reader may set it, for its own session, which ends with the command."""
    assert cloudforge_sql("SELECT set_config('default_transaction_read_only', 'off', false) AS value")[0] == 0
    assert cloudforge_sql("SHOW default_transaction_read_only") == (
        0,
        "default_transaction_read_only\n-----------------------------\non\n(1 rows)\n",
    )


WRITES = {
    "DELETE FROM marts.resources": "permission denied for table resources",
    "TRUNCATE marts.resources": "permission denied for table resources",
    "INSERT INTO marts.resources VALUES (99, 'r-99')": "permission denied for table resources",
    "DROP TABLE marts.resources": "must be owner of table resources",
    "CREATE TABLE marts.extra (id int)": "permission denied for schema marts",
    "CREATE TABLE public.extra (id int)": "permission denied for schema public",
    "CREATE TEMPORARY TABLE extra (id int)": (
        'permission denied to create temporary tables in database "postgres"'
    ),
    "CREATE SCHEMA extra": "permission denied for database postgres",
    "SELECT lo_from_bytea(0, 'x')": "permission denied for function lo_from_bytea",
}


@pytest.mark.parametrize("write", WRITES)
def test_privileges_refuse_writes_even_with_read_only_off(owner, write):
    """psql on the reader URL, read-only turned off for the session: the role's privileges still refuse."""
    before = catalogue(owner)
    _, url = cloudforge_sql("--url")
    with psycopg.connect(url.strip(), autocommit=True) as reader:
        reader.execute("SET default_transaction_read_only = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
            reader.execute(write)

    assert refused.value.diag.message_primary == WRITES[write]
    assert catalogue(owner) == before


def test_the_reader_role_is_as_required(owner):
    cloudforge_sql("--url")  # sets the role up
    [role] = owner.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin, rolconfig"
        " FROM pg_roles WHERE rolname = %s",
        [READER_ROLE],
    ).fetchall()
    settings = [
        "default_transaction_read_only=on", "statement_timeout=2min", "idle_in_transaction_session_timeout=5min"
    ]
    assert role == (False, False, False, False, False, True, settings)
    memberships = owner.execute(
        "SELECT role FROM unnest(%s::text[]) AS role WHERE pg_has_role(%s, role, 'MEMBER')",
        [list(SERVER_ROLES), READER_ROLE],
    ).fetchall()
    assert memberships == []
    grants = owner.execute(
        "SELECT table_schema, table_name, privilege_type FROM information_schema.role_table_grants"
        " WHERE grantee = %s",
        [READER_ROLE],
    ).fetchall()
    assert grants == [("marts", "resources", "SELECT")]


def test_a_superuser_url_is_refused(embedded, monkeypatch):
    """A production reader URL that names a superuser: `cloudforge sql` says so and runs nothing."""
    monkeypatch.setenv("CLOUDFORGE_READER_DATABASE_URL", embedded_postgres_url(embedded))

    assert cloudforge_sql("SELECT 1") == (
        1,
        "Error: refusing to run SQL as postgres, a superuser: connect as a read-only role "
        "(CLOUDFORGE_READER_DATABASE_URL; `cloudforge sql --reader-setup` prints the SQL that creates one)\n",
    )


def test_production_without_a_reader_url_is_refused(embedded, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", embedded_postgres_url(embedded))

    assert cloudforge_sql("SELECT 1") == (
        1,
        "Error: CLOUDFORGE_READER_DATABASE_URL is not set: SQL access connects as a read-only role, "
        "not as the owner in CLOUDFORGE_DATABASE_URL "
        "(`cloudforge sql --reader-setup` prints the SQL that creates one)\n",
    )


@pytest.fixture
def wrong_password_url(owner: psycopg.Connection) -> str:
    """A URL whose role the server authenticates by password (scram), with the wrong password in it."""
    owner.execute("DROP ROLE IF EXISTS password_probe")
    owner.execute("CREATE ROLE password_probe LOGIN PASSWORD 'the-right-one'")
    [(hba_file,)] = owner.execute("SHOW hba_file").fetchall()
    rules = Path(hba_file).read_text()
    if not rules.startswith("local all password_probe"):
        Path(hba_file).write_text("local all password_probe scram-sha-256\n" + rules)
        owner.execute("SELECT pg_reload_conf()")
    return f"postgresql://password_probe:not-the-right-one@/postgres?host={owner.info.host}"


def refused_password_line(url: str) -> str:
    host = url.partition("host=")[2]
    return (
        f"Error: cannot connect to the warehouse at {host}/postgres: connection failed: "
        f'connection to server on socket "{host}/.s.PGSQL.5432" failed: '
        'FATAL: password authentication failed for user "password_probe"'
    )


def test_a_wrong_password_ends_sql_in_one_line(embedded, wrong_password_url, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_READER_DATABASE_URL", wrong_password_url)

    assert cloudforge_sql("SELECT 1") == (1, refused_password_line(wrong_password_url) + "\n")


def test_a_wrong_password_ends_run_in_one_line(embedded, wrong_password_url, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", wrong_password_url)

    result = CliRunner().invoke(main, ["run"])

    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == refused_password_line(wrong_password_url)
    assert "not-the-right-one" not in result.output


def test_reader_setup_prints_what_an_admin_runs(embedded, owner, monkeypatch):
    """For a production warehouse: the SQL for its database and owner, which a superuser may run again."""
    owner.execute("DROP DATABASE IF EXISTS production")
    owner.execute("CREATE DATABASE production")
    production_url = embedded_postgres_url(embedded).replace("/postgres?", "/production?")
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", production_url)

    code, script = cloudforge_sql("--reader-setup")

    assert code == 0
    assert "GRANT CONNECT ON DATABASE \"production\" TO \"cloudforge_reader\";" in script.splitlines()
    assert (
        'ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA marts, snapshots '
        'GRANT SELECT ON TABLES TO "cloudforge_reader";'
    ) in script.splitlines()
    with psycopg.connect(production_url, autocommit=True) as admin:
        admin.execute(script)
        admin.execute(script)
        admin.execute("CREATE TABLE marts.resources AS SELECT 1 AS id")
    with psycopg.connect(production_url.replace("postgresql://postgres:@", f"postgresql://{READER_ROLE}@")) as reader:
        assert reader.execute("SELECT id FROM marts.resources").fetchall() == [(1,)]


def test_a_wrong_password_ends_demo_in_one_line(embedded, wrong_password_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", wrong_password_url)
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("CLOUDFORGE_AWS__ENDPOINT_URL", "http://127.0.0.1:9")  # no cloud is started

    ports = ["--dagster-port", "0", "--dashboard-port", "0", "--metrics-port", "0"]
    result = CliRunner().invoke(main, ["demo", "--skip-run", *ports])

    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == refused_password_line(wrong_password_url)
    assert "not-the-right-one" not in result.output
