"""Two `dbt build`s of the whole project per session, through the Dagster assets, each in a database of its
own on the session's embedded PostgreSQL (so other tests' raw rows never leak into the marts asserted here):

- ``estate_build``: the hand-built raw_aws inventory (dbt_raw_inventory) and FOCUS billing (dbt_raw_billing),
  with the billing's cost config. The inventory tests read it as ``inventory_url``, the cost tests as
  ``cost_url``: the inventory marts do not depend on the billing, so one build serves both.
- ``hostile_url``: the same shapes with names written as Markdown (dbt_hostile_names), for the dashboards.

A test that only reads these marts takes one of those fixtures; one that changes them puts them back before it
ends (see test_a_restated_slice_replaces_its_rows_incrementally). A test that needs other raw rows builds its
own database with ``build(url, settings, selection)``: select only the models it asserts (``AssetSelection``
of the marts, ``.upstream()``), not the whole project.
"""

from dataclasses import dataclass

import dbt_hostile_names
import dbt_raw_billing
import pytest
from dagster import ExecuteInProcessResult
from dbt_raw_inventory import REQUIRED_TAGS, load_raw_inventory
from psycopg import sql
from psycopg.types.json import Jsonb
from support.dbt_build import build

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, create_database, ensure_schema


def load_raw_billing(url: str, records: list[dict] | None = None) -> None:
    """Create the raw_billing tables and COPY the hand-built FOCUS rows (or ``records``) and load log in."""
    copy = sql.SQL("COPY raw_billing.focus_charges ({}) FROM STDIN").format(
        sql.SQL(", ").join(map(sql.Identifier, dbt_raw_billing.COLUMNS))
    )
    with connect(url) as conn, conn.cursor() as cur:
        ensure_schema(conn)
        with cur.copy(copy) as copier:
            for record in dbt_raw_billing.focus_records() if records is None else records:
                copier.write_row([Jsonb(value) if column == "tags" and value else value
                                  for column, value in record.items()])
        log = sql.SQL("COPY raw_billing.load_log ({}) FROM STDIN").format(
            sql.SQL(", ").join(map(sql.Identifier, dbt_raw_billing.LOG_COLUMNS))
        )
        with cur.copy(log) as copier:
            for row in dbt_raw_billing.load_log():
                copier.write_row(row)


@dataclass(frozen=True)
class InventoryBuild:
    url: str
    result: ExecuteInProcessResult


@pytest.fixture(scope="session")
def estate_build(warehouse_url: str) -> InventoryBuild:
    """A database holding the hand-built inventory and billing, the whole project built once (`dbt build`)
    with the billing's cost config."""
    url = create_database(warehouse_url, "dbt_estate")
    load_raw_inventory(url)  # with every raw table: the policies' are empty here
    load_raw_billing(url)
    settings = load_settings(tags={"required": REQUIRED_TAGS}, costs=dbt_raw_billing.COSTS)
    return InventoryBuild(url, build(url, settings))


@pytest.fixture(scope="session")
def inventory_build(estate_build: InventoryBuild) -> InventoryBuild:
    """The build the inventory tests judge: the estate's."""
    return estate_build


@pytest.fixture(scope="session")
def inventory_url(estate_build: InventoryBuild) -> str:
    assert estate_build.result.success
    return estate_build.url


@pytest.fixture(scope="session")
def cost_build(estate_build: InventoryBuild) -> InventoryBuild:
    """The build the cost tests judge: the estate's."""
    return estate_build


@pytest.fixture(scope="session")
def cost_url(estate_build: InventoryBuild) -> str:
    assert estate_build.result.success
    return estate_build.url


@pytest.fixture(scope="session")
def hostile_url(warehouse_url: str) -> str:
    """A database holding the hand-built inventory, billing and a policy finding with names written as Markdown,
    the whole project built."""
    url = create_database(warehouse_url, "dbt_hostile_names")
    load_raw_inventory(url, dbt_hostile_names.RESOURCES)
    load_raw_billing(url, dbt_hostile_names.focus_records())
    with connect(url) as conn:
        dbt_hostile_names.load_finding(conn)
    result = build(url, load_settings(tags={"required": REQUIRED_TAGS}, costs=dbt_hostile_names.COSTS))
    assert result.success
    return url
