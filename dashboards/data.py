"""The dashboards' only way to the warehouse: parameterised SQL on the marts, cached for a few minutes.

Every statement goes through ``query``, which turns a warehouse that cannot answer yet (no marts schema,
unreachable server) into ``WarehouseNotReady``, so the app shows what to do instead of a traceback. The
database URL never leaves this module, and no message here contains it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import pandas as pd
import psycopg.errors
import streamlit as st
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from cloudforge.settings import Settings
from cloudforge.warehouse import sqlalchemy_url
from cloudforge.warehouse.connection import redact_url
from cloudforge.warehouse.reader import ReaderNotConfigured, reader_database_url

# Marts change once per `cloudforge run`; a few minutes of staleness keeps reruns instant.
TTL = timedelta(minutes=5)
TABLE_LIMIT = 5000
CONNECT_TIMEOUT_SECONDS = 10
RUN_FIRST = "Run `cloudforge run` first to sync the inventory and build the marts."

# Errors that mean the marts were not built yet (or predate this dashboard), not that the SQL is wrong.
_MARTS_MISSING = (
    psycopg.errors.UndefinedTable,
    psycopg.errors.InvalidSchemaName,
    psycopg.errors.UndefinedColumn,
)

# One (dimension, value) row per filterable column of the resource ``r``: totals group by it and the
# resource filter matches against it, so both speak of the same seven columns.
_DIMENSIONS = """(VALUES ('cloud', r.cloud), ('account_id', r.account_id), ('region', r.region),
                         ('resource_type', r.resource_type), ('team', r.team), ('env', r.env),
                         ('state', r.state)) AS d(dimension, value)"""


class WarehouseNotReady(Exception):
    """The marts cannot answer yet; the message says why and what to do, and never holds the URL."""


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


def settings() -> Settings:
    """The settings the entry point (dashboards/app.py) loaded for this session."""
    return st.session_state["settings"]


def _engine() -> Engine:
    configured = settings()
    warehouse = tuple(
        secret.get_secret_value() if secret else None
        for secret in (configured.reader_database_url, configured.database_url)
    )
    return _pooled_engine(configured, (*warehouse, str(configured.state_dir)))


@st.cache_resource(show_spinner=False)
def _pooled_engine(_settings: Settings, warehouse: tuple[str | None, ...]) -> Engine:
    """One pooled engine per process and warehouse (the settings' URLs and state directory), as the
    read-only role: ``reader_database_url`` when set, else the embedded PostgreSQL's reader.

    The connect timeout turns an unreachable server into WarehouseNotReady instead of a page that hangs.
    """
    url = sqlalchemy_url(reader_database_url(_settings))
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


def query(statement: str, **params: object) -> pd.DataFrame:
    """Run one parameterised statement; a warehouse that cannot answer yet raises WarehouseNotReady."""
    try:
        engine = _engine()
    except ReaderNotConfigured as exc:
        raise WarehouseNotReady(str(exc)) from None
    try:
        with engine.connect() as conn:
            result = conn.execute(text(statement), params)
            return pd.DataFrame(result.all(), columns=list(result.keys()))
    except ProgrammingError as exc:
        if isinstance(exc.orig, _MARTS_MISSING):
            raise WarehouseNotReady(f"The warehouse has no inventory marts yet. {RUN_FIRST}") from None
        raise
    except OperationalError:
        where = redact_url(engine.url.render_as_string(hide_password=True))
        raise WarehouseNotReady(
            f"Cannot reach the warehouse at {where}. Check that it is running and that "
            "CLOUDFORGE_READER_DATABASE_URL points at it."
        ) from None


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


# --- Compliance (marts/compliance) ---------------------------------------------------------------------

NO_POLICY_RUN = (
    "No policy run has reached the compliance marts yet. `cloudforge run` evaluates the policy library over "
    "the inventory and builds them."
)


@dataclass(frozen=True)
class ComplianceSummary:
    open_findings: int
    urgent_findings: int  # open critical and high
    waived_findings: int
    checks: int  # (resource, policy) pairs judged by the latest run
    checks_passing: float | None  # share of those without an open finding
    evaluated_at: datetime | None  # the latest run that found something


@dataclass(frozen=True)
class ComplianceFilters:
    """What the Compliance page is narrowed to; an empty tuple allows every value."""

    framework: str = "cloudforge"
    severities: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()  # 'unassigned' for resources without a team tag




def any_of(column: str, parameter: str) -> str:
    """SQL: ``column`` is one of the array parameter's values, or the array is empty (no filter)."""
    return f"(cardinality(CAST(:{parameter} AS text[])) = 0 OR {column} = ANY(CAST(:{parameter} AS text[])))"


# Rows whose account and team (no team tag: 'unassigned') the filters allow.
_ACCOUNT_TEAM_ALLOWED = (
    any_of("account_id", "accounts") + " AND " + any_of("coalesce(team, 'unassigned')", "teams")
)


@st.cache_data(ttl=TTL, show_spinner=False)
def compliance_summary() -> ComplianceSummary:
    """Headline figures of the latest policy run; none yet raises WarehouseNotReady."""
    row = query(
        """
        SELECT (SELECT count(*) FROM marts.compliance_findings WHERE status = 'open') AS open_findings,
               (SELECT count(*) FROM marts.compliance_findings
                 WHERE status = 'open' AND severity IN ('critical', 'high')) AS urgent_findings,
               (SELECT count(*) FROM marts.compliance_findings WHERE status = 'waived') AS waived_findings,
               (SELECT max(last_seen_at) FROM marts.compliance_findings) AS evaluated_at,
               coalesce(sum(evaluated_resources), 0) AS checks,
               sum(evaluated_resources - failing_resources)::float8 / nullif(sum(evaluated_resources), 0)
                   AS checks_passing
          FROM marts.compliance_posture
         WHERE framework = 'cloudforge'
        """
    ).iloc[0]
    if row["checks"] == 0:
        raise WarehouseNotReady(NO_POLICY_RUN)
    return ComplianceSummary(
        open_findings=int(row["open_findings"]),
        urgent_findings=int(row["urgent_findings"]),
        waived_findings=int(row["waived_findings"]),
        checks=int(row["checks"]),
        checks_passing=None if pd.isna(row["checks_passing"]) else float(row["checks_passing"]),
        evaluated_at=None if pd.isna(row["evaluated_at"]) else row["evaluated_at"].to_pydatetime(),
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def compliance_options() -> dict[str, list[str]]:
    """The frameworks, accounts and teams the posture knows, for the page's filters."""
    frame = query(
        """
        SELECT 'framework' AS dimension, framework AS value FROM marts.compliance_posture
        UNION SELECT 'account', account_id FROM marts.compliance_posture
        UNION SELECT 'team', team FROM marts.compliance_posture
        ORDER BY 1, 2
        """
    )
    return {name: list(group["value"]) for name, group in frame.groupby("dimension")}


@st.cache_data(ttl=TTL, show_spinner=False)
def control_posture(filters: ComplianceFilters) -> pd.DataFrame:
    """Per control of the framework, over the allowed accounts and teams: evaluated, failing and waived
    resources and the pass rate, worst first."""
    return query(
        f"""
        SELECT control_id, array_to_string(min(policy_ids), ', ') AS policy_ids,
               sum(evaluated_resources)::bigint AS evaluated_resources,
               sum(failing_resources)::bigint AS failing_resources,
               sum(waived_resources)::bigint AS waived_resources,
               (1 - sum(failing_resources)::float8 / sum(evaluated_resources)) AS pass_rate
          FROM marts.compliance_posture
         WHERE framework = :framework AND {_ACCOUNT_TEAM_ALLOWED}
         GROUP BY control_id
         ORDER BY pass_rate, control_id
        """,
        framework=filters.framework,
        accounts=list(filters.accounts),
        teams=list(filters.teams),
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def failing_resources(filters: ComplianceFilters, limit: int = TABLE_LIMIT) -> tuple[pd.DataFrame, int]:
    """Open findings of the framework's policies matching the filters, most severe first (the first
    ``limit``), and how many match in all."""
    frame = query(
        f"""
        SELECT severity, policy_id, policy_title, resource_name, resource_type, account_id, region,
               coalesce(team, 'unassigned') AS team, message, remediation, controls, first_seen_at,
               resource_key, count(*) OVER () AS matches
          FROM marts.compliance_findings
         WHERE status = 'open'
           AND :framework = ANY(frameworks)
           AND {any_of("severity", "severities")}
           AND {_ACCOUNT_TEAM_ALLOWED}
         ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low'], severity), policy_id,
                  account_id, resource_name, resource_key
         LIMIT :limit
        """,
        framework=filters.framework,
        severities=list(filters.severities),
        accounts=list(filters.accounts),
        teams=list(filters.teams),
        limit=limit,
    )
    matches = int(frame["matches"].iloc[0]) if len(frame) else 0
    return frame.drop(columns="matches"), matches


@st.cache_data(ttl=TTL, show_spinner=False)
def compliance_trend(filters: ComplianceFilters) -> pd.DataFrame:
    """Open and waived findings at the end of each day, per severity, over the allowed accounts (the trend
    has no team or framework: it counts every finding)."""
    return query(
        f"""
        SELECT trend_date, severity, sum(open_findings)::bigint AS open_findings,
               sum(waived_findings)::bigint AS waived_findings, sum(new_findings)::bigint AS new_findings,
               sum(resolved_findings)::bigint AS resolved_findings
          FROM marts.compliance_trend
         WHERE {any_of("account_id", "accounts")} AND {any_of("severity", "severities")}
         GROUP BY trend_date, severity
         ORDER BY trend_date, severity
        """,
        accounts=list(filters.accounts),
        severities=list(filters.severities),
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def waivers() -> pd.DataFrame:
    """Every waiver, soonest expiry first, with how many findings it hides now."""
    return query(
        """
        SELECT waiver_id, policy_id, coalesce(policy_title, '(no such policy)') AS policy_title,
               resource_pattern, waiver_reason, waiver_owner, expires_on, days_until_expiry, is_active,
               waived_findings, waiver_origin
          FROM marts.compliance_waivers
         ORDER BY is_active DESC, expires_on, waiver_id
        """
    )
