"""The read-only role keeps reading the marts after dbt builds them again (new tables, by default privileges),
and reads nothing below them."""

from __future__ import annotations

import psycopg
import pytest

from dbt_raw_inventory import RAW_RESOURCES, load_raw_inventory
from support.dbt_manifest import current_manifest

from cloudforge.warehouse import connect, create_database
from cloudforge.warehouse.reader import grant_reader
from pipelines.dbt import dbt_resource

MARTS = ("missing_required_tags", "resource_tags", "resources", "tag_coverage")


def marts(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    return {name: conn.execute(f"SELECT * FROM marts.{name} ORDER BY 1, 2").fetchall() for name in MARTS}


def table_ids(conn: psycopg.Connection) -> list[int]:
    return [conn.execute("SELECT %s::regclass::oid", [f"marts.{name}"]).fetchone()[0] for name in MARTS]


def build_inventory_marts(url: str) -> None:
    """The inventory marts and what they read, without their tests, as the pipelines' owner builds them."""
    invocation = dbt_resource(url).cli(
        ["build", "--select", "+path:models/marts/inventory", "--exclude-resource-type", "test", "unit_test"],
        raise_on_error=False,
    )
    assert invocation.wait().is_successful()


@pytest.fixture(scope="module")
def reader_warehouse(warehouse_url: str) -> str:
    """A fresh warehouse: the reader set up first, the inventory marts built after it."""
    url = create_database(warehouse_url, "dbt_marts_reader")
    load_raw_inventory(url)
    grant_reader(url)
    current_manifest()
    build_inventory_marts(url)
    return url


def test_the_reader_reads_the_marts_dbt_builds_again(reader_warehouse):
    reader_url = grant_reader(reader_warehouse)
    with connect(reader_warehouse) as owner, connect(reader_url) as reader:
        built = table_ids(owner)
        assert marts(reader) == marts(owner)

    build_inventory_marts(reader_warehouse)

    with connect(reader_warehouse) as owner, connect(reader_url) as reader:
        assert set(table_ids(owner)).isdisjoint(built)  # dbt dropped the tables and created new ones
        assert marts(reader) == marts(owner)
        assert len(marts(reader)["resources"]) == len(RAW_RESOURCES)


@pytest.mark.parametrize(
    "relation",
    ["raw_aws.resources", "staging.stg_aws__ec2_instances", "intermediate.int_aws__resources_unioned"],
)
def test_the_reader_reads_nothing_below_the_marts(reader_warehouse, relation):
    with connect(grant_reader(reader_warehouse)) as reader:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
            reader.execute(f"SELECT count(*) FROM {relation}")

    assert refused.value.diag.message_primary == f"permission denied for schema {relation.partition('.')[0]}"
