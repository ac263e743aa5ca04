"""One `dbt build` per session, through the Dagster assets, over a hand-built raw_aws inventory; one over
the same inventory with hand-built FOCUS billing (dbt_raw_billing), for the cost models; and one with names written
as Markdown (dbt_hostile_names), for the dashboards.

Each lives in its own database on the session's embedded PostgreSQL, so other tests' raw rows never leak into
the marts asserted here.
"""

from dataclasses import dataclass

import dbt_hostile_names
import dbt_raw_billing
import pytest
from dagster import AssetKey, AssetSelection, ExecuteInProcessResult
from dbt_raw_inventory import REQUIRED_TAGS, load_raw_inventory
from psycopg import sql
from psycopg.types.json import Jsonb
from support.dbt_build import build

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, create_database, ensure_schema

# The cost build covers the cost marts and what they read, so it needs no raw tables of other domains.
COST_MARTS = ("cost_daily", "cost_attribution", "cost_allocation_parts", "cost_allocation", "cost_reconciliation",
              "budget_status", "cost_forecast", "cost_anomalies", "billing_slice_status",
              "billing_line_items")


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
def inventory_build(warehouse_url: str) -> InventoryBuild:
    """A database holding the hand-built raw inventory, built once by the dbt assets (`dbt build`)."""
    url = create_database(warehouse_url, "dbt_inventory")
    load_raw_inventory(url)  # with every raw table: billing and policies are empty here
    return InventoryBuild(url, build(url, load_settings(tags={"required": REQUIRED_TAGS})))


@pytest.fixture(scope="session")
def inventory_url(inventory_build: InventoryBuild) -> str:
    assert inventory_build.result.success
    return inventory_build.url


@pytest.fixture(scope="session")
def cost_build(warehouse_url: str) -> InventoryBuild:
    """A database holding the hand-built inventory and billing, built once with the billing's cost config."""
    url = create_database(warehouse_url, "dbt_costs")
    load_raw_inventory(url)
    load_raw_billing(url)
    settings = load_settings(tags={"required": REQUIRED_TAGS}, costs=dbt_raw_billing.COSTS)
    marts = AssetSelection.assets(*(AssetKey(["marts", name]) for name in COST_MARTS))
    return InventoryBuild(url, build(url, settings, marts.upstream()))


@pytest.fixture(scope="session")
def cost_url(cost_build: InventoryBuild) -> str:
    assert cost_build.result.success
    return cost_build.url


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
