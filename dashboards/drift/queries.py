"""The Drift page's queries: parameterised SQL on the drift marts, cached for a few minutes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboards.connection import TABLE_LIMIT, TTL, query

# The page's filters, applied alike to every query: allowed accounts, teams and categories (none = any).
_FILTERED = """
    (CAST(:accounts AS text[]) = '{}' OR account_id = ANY(CAST(:accounts AS text[])))
    AND (CAST(:teams AS text[]) = '{}' OR coalesce(team, 'unassigned') = ANY(CAST(:teams AS text[])))
"""


@dataclass(frozen=True)
class DriftFilters:
    accounts: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    show_ignored: bool = False

    def params(self) -> dict[str, object]:
        return {"accounts": list(self.accounts), "teams": list(self.teams), "categories": list(self.categories),
                "show_ignored": self.show_ignored}


@st.cache_data(ttl=TTL, show_spinner=False)
def choices() -> pd.DataFrame:
    """The accounts and teams drift knows: account_id, team."""
    return query("SELECT DISTINCT account_id, coalesce(team, 'unassigned') AS team FROM marts.drift_resources "
                 "ORDER BY 1, 2")


@st.cache_data(ttl=TTL, show_spinner=False)
def coverage(filters: DriftFilters) -> pd.DataFrame:
    """Per account and team: counts per category, ignored, coverage and priced drift."""
    return query(f"SELECT * FROM marts.drift_coverage WHERE {_FILTERED} ORDER BY account_id, team",
                 **filters.params())


@st.cache_data(ttl=TTL, show_spinner=False)
def trend(filters: DriftFilters) -> pd.DataFrame:
    """Coverage per day over the filtered accounts and teams."""
    return query(
        f"""
        SELECT coverage_day, round(sum(managed + changed)::numeric
                                   / nullif(sum(managed + changed + missing + unmanaged), 0), 4) AS coverage
          FROM marts.drift_coverage_history
         WHERE {_FILTERED}
         GROUP BY coverage_day
         ORDER BY coverage_day
        """,
        **filters.params(),
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def resources(filters: DriftFilters, limit: int = TABLE_LIMIT) -> pd.DataFrame:
    """The filtered resources, drifted first (changed, missing, unmanaged, then managed), priciest first."""
    return query(
        f"""
        SELECT resource_key, drift_category, is_ignored, ignore_reason, account_id, region, resource_type,
               resource_id, name, team, state_uri, address, differing_attributes, monthly_cost, is_conflict
          FROM marts.drift_resources
         WHERE {_FILTERED}
           AND (CAST(:categories AS text[]) = '{{}}' OR drift_category = ANY(CAST(:categories AS text[])))
           AND (:show_ignored OR NOT is_ignored)
         ORDER BY array_position(ARRAY['changed', 'missing', 'unmanaged', 'managed'], drift_category),
                  monthly_cost DESC, account_id, resource_type, name
         LIMIT :limit
        """,
        limit=limit,
        **filters.params(),
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def attribute_differences(resource_key: str) -> pd.DataFrame:
    """The differing attributes of one resource, as text: path, declared, live, ignored and why."""
    return query(
        """
        SELECT attribute_path, declared_value::text AS declared_value, live_value::text AS live_value,
               is_security_relevant, is_ignored, ignore_reason
          FROM marts.drift_attributes
         WHERE resource_key = :resource_key
         ORDER BY attribute_path
        """,
        resource_key=resource_key,
    )
