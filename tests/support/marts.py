"""Marts tables shaped by the dbt project's contracts, for tests that fill marts by hand.

The columns and types come from ``dbt/models/marts/<folder>/_*.yml`` (every model whose contract is enforced), so
a column added to a contract is a column of the test tables too, and a test row naming a column the contract lacks
fails. Rows are inserted by column name; columns a row leaves out are NULL, which a contract's not_null refuses.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import yaml
from psycopg import sql

MARTS = Path(__file__).parents[2] / "dbt" / "models" / "marts"


def contracts(folder: str) -> dict[str, list[dict]]:
    """Model name -> its contract's columns (name, data_type, constraints), for the enforced contracts in
    ``marts/<folder>``."""
    models = {}
    for path in sorted((MARTS / folder).glob("_*.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            if model.get("config", {}).get("contract", {}).get("enforced"):
                models[model["name"]] = model["columns"]
    return models


def _column(column: dict) -> sql.Composed:
    not_null = any(constraint["type"] == "not_null" for constraint in column.get("constraints", []))
    return sql.SQL("{} {}{}").format(
        sql.Identifier(column["name"]), sql.SQL(column["data_type"]), sql.SQL(" NOT NULL" if not_null else "")
    )


def create_marts(conn: psycopg.Connection, folder: str) -> None:
    """Schema ``marts`` with an empty table per contracted model of ``marts/<folder>``."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS marts")
    for name, columns in contracts(folder).items():
        conn.execute(
            sql.SQL("CREATE TABLE marts.{} ({})").format(
                sql.Identifier(name), sql.SQL(", ").join(_column(column) for column in columns)
            )
        )


def insert(conn: psycopg.Connection, model: str, rows: list[dict]) -> None:
    """Insert ``rows`` (column -> value) into ``marts.<model>`` with parameterised statements."""
    with conn.cursor() as cur:
        for row in rows:
            cur.execute(
                sql.SQL("INSERT INTO marts.{} ({}) VALUES ({})").format(
                    sql.Identifier(model),
                    sql.SQL(", ").join(map(sql.Identifier, row)),
                    sql.SQL(", ").join(sql.Placeholder() * len(row)),
                ),
                list(row.values()),
            )
