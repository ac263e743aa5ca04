"""One `dbt build` per session, through the Dagster assets, over a hand-built raw_aws inventory.

The inventory lives in its own database on the session's embedded PostgreSQL, so other tests' raw_aws rows
never leak into the marts asserted here.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from dagster import ExecuteInProcessResult, materialize
from dbt_raw_inventory import RAW_RESOURCES, REQUIRED_TAGS, SYNC_ID, SYNCED_AT
from psycopg import sql

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, create_database

RAW_SCHEMA = Path(__file__).resolve().parents[2] / "assets" / "aws" / "raw_schema.sql"


def load_raw_inventory(url: str) -> None:
    """Create the raw_aws tables and COPY the hand-built inventory in."""
    columns = ("account_id", "region", "resource_type", "resource_id", "arn", "document", "sync_id",
               "synced_at")
    copy = sql.SQL("COPY raw_aws.resources ({}) FROM STDIN").format(
        sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(RAW_SCHEMA.read_text())
        with cur.copy(copy) as copier:
            for *identity, document in RAW_RESOURCES:
                copier.write_row((*identity, json.dumps(document), SYNC_ID, SYNCED_AT))


@dataclass(frozen=True)
class InventoryBuild:
    url: str
    result: ExecuteInProcessResult


@pytest.fixture(scope="session")
def inventory_build(warehouse_url: str) -> InventoryBuild:
    """A database holding the hand-built raw inventory, built once by the dbt assets (`dbt build`)."""
    from pipelines.dbt import build_dbt_assets, dbt_resource

    url = create_database(warehouse_url, "dbt_inventory")
    load_raw_inventory(url)
    settings = load_settings(tags={"required": REQUIRED_TAGS})
    assets = build_dbt_assets(settings)
    result = materialize([assets], resources={"dbt": dbt_resource(url)}, raise_on_error=False)
    return InventoryBuild(url, result)


@pytest.fixture(scope="session")
def inventory_url(inventory_build: InventoryBuild) -> str:
    assert inventory_build.result.success
    return inventory_build.url
