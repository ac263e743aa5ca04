"""The Health and Recommendations pages' queries: parameterised SQL on the monitoring marts, cached a few minutes.

Time series come from the time-series server through ``cloudforge.metrics.reader``, never from the marts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from dashboards.connection import TABLE_LIMIT, TTL, any_of, query

MEASUREMENT = "cloudwatch"  # how the metrics collection names its series (assets/metrics)


@dataclass(frozen=True)
class RecommendationFilters:
    """Allowed values per column; none means any."""

    kind: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    account_id: tuple[str, ...] = ()
    status: tuple[str, ...] = ()


@st.cache_data(ttl=TTL, show_spinner=False)
def recommendation_options() -> pd.DataFrame:
    """The values each filter can take: column, value."""
    return query(
        """
        SELECT DISTINCT d.column_name, d.value
          FROM marts.recommendations AS r
         CROSS JOIN LATERAL (VALUES ('kind', r.kind), ('team', coalesce(r.team, '')),
                                    ('account_id', r.account_id), ('status', r.status)) AS d(column_name, value)
         ORDER BY 1, 2
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def recommendations(filters: RecommendationFilters, limit: int = TABLE_LIMIT) -> pd.DataFrame:
    """The recommendations matching ``filters``, the largest saving first."""
    return query(
        f"""
        SELECT kind, monthly_saving, currency, resource_id, name, resource_type, account_id, region, team, project,
               env, action, evidence::text AS evidence, saving_source, status, dismissed_reason, dismissed_until
          FROM marts.recommendations
         WHERE {any_of("kind", "kinds")} AND {any_of("coalesce(team, '')", "teams")}
           AND {any_of("account_id", "accounts")} AND {any_of("status", "statuses")}
         ORDER BY monthly_saving DESC, kind, resource_key
         LIMIT :limit
        """,
        kinds=list(filters.kind), teams=list(filters.team), accounts=list(filters.account_id),
        statuses=list(filters.status), limit=limit,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def health_status() -> pd.DataFrame:
    """Every current check with the checked resource's owners."""
    return query(
        """
        SELECT check_kind, account_id, region, resource_type, resource_id, name, team, env, check_target, status,
               is_failing, detail, response_ms, checked_at
          FROM marts.health_status
         ORDER BY is_failing DESC, check_kind, account_id, resource_id
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def firing_alerts() -> pd.DataFrame:
    """The conditions the outbox holds triggered now (budget, anomaly, finding, freshness, metric rules)."""
    return query(
        """
        SELECT severity, source, title, summary, triggered_at
          FROM marts.firing_alerts
         ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low', 'info'], severity), triggered_at DESC
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def metric_series(url: str, metric: str, resource_id: str, end: datetime, days: int = 14) -> pd.DataFrame:
    """One metric of one resource over the last ``days`` days, hourly, from the time-series server at ``url``."""
    from cloudforge.metrics.reader import PromQLReader

    samples = PromQLReader(url).series(MEASUREMENT, metric, {"resource_id": resource_id},
                                       end - timedelta(days=days), end, timedelta(hours=1))
    return pd.DataFrame([(sample.time, sample.value) for sample in samples], columns=["time", "value"])
