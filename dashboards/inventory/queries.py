"""The Inventory page's queries: parameterised SQL on the inventory marts, cached for a few minutes."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from dashboards.connection import RUN_FIRST, TABLE_LIMIT, TTL, WarehouseNotReady, query

# One (dimension, value) row per filterable column of the resource ``r``: totals group by it and the
# resource filter matches against it, so both speak of the same seven columns.
_DIMENSIONS = """(VALUES ('cloud', r.cloud), ('account_id', r.account_id), ('region', r.region),
                         ('resource_type', r.resource_type), ('team', r.team), ('env', r.env),
                         ('state', r.state)) AS d(dimension, value)"""



@dataclass(frozen=True)
class InventorySummary:
    resources: int
    accounts: int
    regions: int
    resource_types: int
    tag_coverage: float | None
    synced_at: datetime | None


@dataclass(frozen=True)
class ResourceFilters:
    """What the resource table is narrowed to: allowed values per column (none = any; '' = missing) and a
    substring of the name, id or ARN."""

    cloud: tuple[str, ...] = ()
    account_id: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    resource_type: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    search: str = ""

    def allowed(self) -> dict[str, list[str]]:
        """The columns that are filtered, with their allowed values."""
        columns = asdict(self)
        del columns["search"]
        return {column: list(values) for column, values in columns.items() if values}

    def pattern(self) -> str | None:
        """An ILIKE pattern for the search text, its wildcards escaped so they match literally."""
        if not self.search.strip():
            return None
        escaped = self.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"



@st.cache_data(ttl=TTL, show_spinner=False)
def inventory_summary() -> InventorySummary:
    """Headline figures of the whole estate; an empty inventory raises WarehouseNotReady."""
    row = query(
        """
        SELECT count(*) AS resources,
               count(DISTINCT account_id) AS accounts,
               count(DISTINCT region) AS regions,
               count(DISTINCT resource_type) AS resource_types,
               (SELECT sum(compliant_resource_count)::float8 / nullif(sum(resource_count), 0)
                  FROM marts.tag_coverage) AS tag_coverage,
               max(synced_at) AS synced_at
          FROM marts.resources
        """
    ).iloc[0]
    if row["resources"] == 0:
        raise WarehouseNotReady(f"The inventory is empty: the marts hold no resources yet. {RUN_FIRST}")
    return InventorySummary(
        resources=int(row["resources"]),
        accounts=int(row["accounts"]),
        regions=int(row["regions"]),
        resource_types=int(row["resource_types"]),
        tag_coverage=None if pd.isna(row["tag_coverage"]) else float(row["tag_coverage"]),
        synced_at=None if pd.isna(row["synced_at"]) else row["synced_at"].to_pydatetime(),
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def totals() -> pd.DataFrame:
    """Resources per value of each filterable column: dimension, value ('' = missing), resources."""
    return query(
        f"""
        SELECT d.dimension, coalesce(d.value, '') AS value, count(*) AS resources
          FROM marts.resources AS r
         CROSS JOIN LATERAL {_DIMENSIONS}
         GROUP BY d.dimension, coalesce(d.value, '')
         ORDER BY d.dimension, resources DESC, value
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def search_resources(filters: ResourceFilters, limit: int = TABLE_LIMIT) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` resources matching ``filters``, and how many match in all."""
    frame = query(
        f"""
        SELECT r.resource_key, r.name, r.resource_id, r.cloud, r.account_id, r.region, r.resource_type,
               r.state, r.team, r.project, r.env, r.owner, r.created_at, count(*) OVER () AS matches
          FROM marts.resources AS r
         WHERE NOT EXISTS (
                   SELECT FROM {_DIMENSIONS}
                     JOIN jsonb_each(CAST(:allowed AS jsonb)) AS f(dimension, allowed) USING (dimension)
                    WHERE NOT f.allowed ? coalesce(d.value, ''))
           AND (CAST(:pattern AS text) IS NULL
                OR r.name ILIKE :pattern OR r.resource_id ILIKE :pattern OR r.arn ILIKE :pattern)
         ORDER BY r.cloud, r.account_id, r.region, r.resource_type, r.name, r.resource_key
         LIMIT :limit
        """,
        allowed=json.dumps(filters.allowed()),
        pattern=filters.pattern(),
        limit=limit,
    )
    matches = int(frame["matches"].iloc[0]) if len(frame) else 0
    return frame.drop(columns="matches"), matches


@st.cache_data(ttl=TTL, show_spinner=False)
def resource(resource_key: str) -> dict | None:
    """One resource with its tags and configuration document, or None when it is gone."""
    frame = query(
        """
        SELECT resource_key, name, cloud, account_id, region, resource_type, resource_id, arn, state,
               created_at, team, project, env, owner, tags, configuration, synced_at
          FROM marts.resources
         WHERE resource_key = :resource_key
        """,
        resource_key=resource_key,
    )
    return frame.iloc[0].to_dict() if len(frame) else None


@st.cache_data(ttl=TTL, show_spinner=False)
def resource_tags(resource_key: str) -> pd.DataFrame:
    """The tags of one resource as written in the cloud, with the canonical key each maps to."""
    return query(
        """
        SELECT tag_key, tag_value, canonical_key
          FROM marts.resource_tags
         WHERE resource_key = :resource_key
         ORDER BY tag_key
        """,
        resource_key=resource_key,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def tag_coverage() -> pd.DataFrame:
    """Share of resources carrying every required tag, per account and team ('' = no team tag)."""
    return query(
        """
        SELECT account_id, coalesce(team, '') AS team, resource_count, compliant_resource_count,
               coverage_ratio::float8 AS coverage_ratio
          FROM marts.tag_coverage
         ORDER BY account_id, team
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def missing_required_tags(resource_key: str | None = None) -> pd.DataFrame:
    """Resources lacking required tags (all of them, or just ``resource_key``), with the tags they lack.

    The one place that knows where missing tags live, should the marts fold them into another model.
    """
    return query(
        """
        SELECT m.resource_key, r.name, r.resource_id, r.cloud, r.account_id, r.region, r.resource_type,
               r.team, m.missing_tags
          FROM marts.missing_required_tags AS m
          JOIN marts.resources AS r USING (resource_key)
         WHERE CAST(:resource_key AS text) IS NULL OR m.resource_key = :resource_key
         ORDER BY r.account_id, r.team, r.name, m.resource_key
        """,
        resource_key=resource_key,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def resource_history(resource_key: str) -> pd.DataFrame:
    """Every event of one resource, latest first: when, what (discovered, created, changed, deleted) and, for a
    change, the document's attributes that changed."""
    return query(
        """
        SELECT changed_at, change_type, changed_attributes
          FROM marts.resource_changes
         WHERE resource_key = :resource_key
         ORDER BY changed_at DESC
        """,
        resource_key=resource_key,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def dependencies(resource_key: str) -> pd.DataFrame:
    """What one resource depends on directly: the relation and the other end."""
    return query(
        """
        SELECT e.relation, e.depends_on_key AS resource_key, r.name, r.resource_type, r.resource_id
          FROM marts.resource_relationships AS e
          JOIN marts.resources AS r ON r.resource_key = e.depends_on_key
         WHERE e.resource_key = :resource_key
         ORDER BY e.relation, r.resource_type, r.name
        """,
        resource_key=resource_key,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def dependents(resource_key: str) -> pd.DataFrame:
    """Everything that depends on one resource, directly (depth 1) or through others: what deleting it affects.
    Each dependent once, at its shortest depth, with the relation by which it depends on the resource before it."""
    return query(
        """
        WITH RECURSIVE reached AS (
            SELECT e.resource_key, e.relation, 1 AS depth
              FROM marts.resource_relationships AS e
             WHERE e.depends_on_key = :resource_key
            UNION
            SELECT e.resource_key, e.relation, reached.depth + 1
              FROM marts.resource_relationships AS e
              JOIN reached ON e.depends_on_key = reached.resource_key
             WHERE reached.depth < 10
        ),
        nearest AS (
            SELECT DISTINCT ON (resource_key) resource_key, relation, depth
              FROM reached
             WHERE resource_key <> :resource_key
             ORDER BY resource_key, depth, relation
        )
        SELECT n.depth, n.relation, n.resource_key, r.name, r.resource_type, r.resource_id
          FROM nearest AS n
          JOIN marts.resources AS r USING (resource_key)
         ORDER BY n.depth, r.resource_type, r.name, n.resource_key
        """,
        resource_key=resource_key,
    )
