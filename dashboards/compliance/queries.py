"""The Compliance page's queries: parameterised SQL on the compliance marts, cached for a few minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from dashboards.connection import TABLE_LIMIT, TTL, WarehouseNotReady, any_of, query

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


RECOMMENDATION_STATUSES = (
    "failing",
    "passing",
    "not evaluated",
    "manual",
    "not-implemented",
    "not-checkable",
)


@st.cache_data(ttl=TTL, show_spinner=False)
def recommendation_posture(filters: ComplianceFilters) -> pd.DataFrame:
    """Every recommendation of a benchmark framework (none for 'cloudforge' or FSBP), in the benchmark's
    order, with its policies and, over the allowed accounts and teams, evaluated and failing resources and a
    status: failing, passing, not evaluated (its policies judged nothing here), or why no policy checks it
    (manual, not-implemented, not-checkable)."""
    return query(
        f"""
        SELECT r.section, r.recommendation_id, r.title, r.assessment,
               array_to_string(r.policy_ids, ', ') AS policy_ids,
               coalesce(sum(p.evaluated_resources), 0)::bigint AS evaluated_resources,
               coalesce(sum(p.failing_resources), 0)::bigint AS failing_resources,
               CASE WHEN r.coverage = 'not-run' THEN 'not evaluated'
                    WHEN r.coverage <> 'checked' THEN r.coverage
                    WHEN coalesce(sum(p.evaluated_resources), 0) = 0 THEN 'not evaluated'
                    WHEN sum(p.failing_resources) > 0 THEN 'failing'
                    ELSE 'passing' END AS status,
               r.gap_reason
          FROM marts.compliance_recommendations AS r
          LEFT JOIN marts.compliance_posture AS p
            ON p.framework = r.framework AND p.control_id = r.recommendation_id AND {_ACCOUNT_TEAM_ALLOWED}
         WHERE r.framework = :framework
         GROUP BY r.position, r.section, r.recommendation_id, r.title, r.assessment, r.policy_ids, r.coverage,
                  r.gap_reason
         ORDER BY r.position
        """,
        framework=filters.framework,
        accounts=list(filters.accounts),
        teams=list(filters.teams),
    )


def section_posture(recommendations: pd.DataFrame) -> pd.DataFrame:
    """How many recommendations of each section have each status, sections in the benchmark's order."""
    counts = pd.crosstab(recommendations["section"], recommendations["status"])
    sections = list(dict.fromkeys(recommendations["section"]))
    return counts.reindex(index=sections, columns=list(RECOMMENDATION_STATUSES), fill_value=0).reset_index()
