"""Upgrades of incremental dbt models: a table an older release built is dropped, so the build makes it anew.

An incremental model adds to the table it finds. When that table is not what this release builds (its columns
differ from the model's YAML columns, or the model's ``meta.build_version`` differs from the version the table
was built as, recorded in its comment by the ``record_build_version`` post-hook), adding to it fails or mixes old
rows with new ones. Dropping the table (and the incremental models downstream of it, whose rows were derived from
the old ones) makes the next ``dbt build`` build them in full, without anyone passing ``--full-refresh``.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from cloudforge.warehouse import connect

BUILD_VERSION_COMMENT = re.compile(r"cloudforge build_version (\S+)")


@dataclass(frozen=True)
class OutdatedModel:
    unique_id: str
    schema: str
    table: str
    reason: str


def build_version(node: Mapping[str, Any]) -> str | None:
    """The model's declared build version (``config: {meta: {build_version: N}}``), as text; None if undeclared."""
    version = node["config"].get("meta", {}).get("build_version")
    return None if version is None else str(version)


def outdated_reason(node: Mapping[str, Any], columns: list[str], comment: str | None) -> str | None:
    """Why the existing table of an incremental model is not what this release builds, or None if it is."""
    declared = [name.lower() for name in node["columns"]]
    if declared and sorted(declared) != sorted(columns):
        missing, extra = sorted(set(declared) - set(columns)), sorted(set(columns) - set(declared))
        differences = [f"{what} {', '.join(names)}" for what, names in
                       (("it lacks", missing), ("it has", extra)) if names]
        return f"its columns are not the model's ({'; '.join(differences)})"
    version = build_version(node)
    match = BUILD_VERSION_COMMENT.fullmatch(comment or "")
    built_as = f"build_version {match.group(1)}" if match else "no build_version"
    if version is not None and built_as != f"build_version {version}":
        return f"its table records {built_as}, the model is build_version {version}"
    return None


def incremental_models(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {unique_id: node for unique_id, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"}


def outdated_models(manifest: Mapping[str, Any], warehouse_url: str,
                    candidates: Collection[str]) -> list[OutdatedModel]:
    """The incremental models among ``candidates`` (unique ids) whose table is outdated, with the incremental
    models downstream of them (their rows were derived from the outdated ones), in manifest order."""
    incremental = incremental_models(manifest)
    outdated: dict[str, str] = {}
    if not any(unique_id in candidates for unique_id in incremental):
        return []  # a step without incremental models (inventory, compliance) needs no connection
    with connect(warehouse_url) as conn:
        for unique_id in (i for i in incremental if i in candidates):
            node = incremental[unique_id]
            table = node.get("alias") or node["name"]
            columns = [name for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                (node["schema"], table),
            )]
            if not columns:
                continue  # no table yet: the build makes it in full anyway
            comment = conn.execute(
                "SELECT obj_description(c.oid, 'pg_class') FROM pg_class AS c"
                " JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
                (node["schema"], table),
            ).fetchone()[0]
            reason = outdated_reason(node, columns, comment)
            if reason:
                outdated[unique_id] = reason
    pending = list(outdated)
    while pending:
        parent = pending.pop()
        for child in manifest["child_map"].get(parent, []):
            if child in incremental and child not in outdated:
                outdated[child] = f"it is built from {manifest['nodes'][parent]['name']}, which is rebuilt"
                pending.append(child)
    return [OutdatedModel(unique_id, incremental[unique_id]["schema"],
                          incremental[unique_id].get("alias") or incremental[unique_id]["name"], reason)
            for unique_id, reason in outdated.items()]


def drop_outdated_models(models: list[OutdatedModel], warehouse_url: str) -> None:
    """Drop the tables in one transaction, with the views on them (the build makes those again)."""
    with connect(warehouse_url) as conn:
        for model in models:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
                sql.Identifier(model.schema, model.table)))
