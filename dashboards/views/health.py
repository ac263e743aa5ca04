"""Health: is it healthy now?

Headline figures count the current checks and the failing ones; a table gives health per account, team and type;
the failing checks and the alerts firing now follow; a resource's metrics over the last two weeks close the page,
read from the time-series server.
"""

import pandas as pd
import streamlit as st

from cloudforge.metrics.reader import MetricsReadError
from dashboards import connection
from dashboards.monitoring import queries

CHECK_COLUMNS = {"check_kind": "Check", "resource_id": "Resource", "name": "Name", "resource_type": "Type",
                 "account_id": "Account", "region": "Region", "team": "Team", "status": "Status",
                 "detail": "Says", "checked_at": "Checked"}
METRICS = {"ec2_instance": ("CPUUtilization", "NetworkIn", "NetworkOut"),
           "rds_instance": ("CPUUtilization", "DatabaseConnections", "FreeStorageSpace")}


def health_by(status: pd.DataFrame) -> pd.DataFrame:
    """Checks per account, team and resource type (endpoints as 'endpoint'), by status."""
    grouped = status.assign(resource_type=status["resource_type"].fillna("endpoint"),
                            account_id=status["account_id"].fillna(""), team=status["team"].fillna(""))
    return (grouped.pivot_table(index=["account_id", "team", "resource_type"], columns="status", values="check_kind",
                                aggfunc="count", fill_value=0)
            .reindex(columns=["healthy", "unhealthy", "unknown"], fill_value=0).reset_index())


def show_metrics(status: pd.DataFrame) -> None:
    """A resource's metric over the last 14 days, hourly, from the time-series server."""
    st.subheader("Metrics over time")
    metrics = connection.settings().metrics
    if metrics.mode != "embedded" or not metrics.url:
        st.info("No time-series server to read from here (metrics.mode embedded with its URL: `cloudforge demo` "
                "sets it).")
        return
    resources = status[status["resource_type"].isin(METRICS)].drop_duplicates("resource_id")
    if resources.empty:
        return
    left, right = st.columns(2)
    resource_id = left.selectbox("Resource", list(resources["resource_id"]), key="metric_resource")
    resource_type = resources.loc[resources["resource_id"] == resource_id, "resource_type"].iloc[0]
    metric = right.selectbox("Metric", METRICS[resource_type], key="metric_name")
    try:
        now = connection.settings().clock.now().replace(microsecond=0)
        series = queries.metric_series(metrics.url, metric, resource_id, now)
    except MetricsReadError as error:
        st.warning(f"The time-series server did not answer: {error}")
        return
    if series.empty:
        st.info("No points for this resource and metric in the last 14 days.")
    else:
        st.line_chart(series, x="time", y="value")


st.title("Health")
status = queries.health_status()
if status.empty:
    st.info("No health check has run yet: `cloudforge run` checks the cloud's status and the configured endpoints.")
    st.stop()
checks, failing = st.columns(2)
checks.metric("Current checks", f"{len(status):,}")
failing.metric("Failing", f"{int(status['is_failing'].sum()):,}")
st.subheader("By account, team and type")
st.dataframe(health_by(status), hide_index=True, key="health_by",
             column_config={"account_id": "Account", "team": "Team", "resource_type": "Type"})
st.subheader("Failing checks")
failing_checks = status[status["is_failing"]]
if failing_checks.empty:
    st.success("Every check passes.")
else:
    st.dataframe(failing_checks[list(CHECK_COLUMNS)], hide_index=True, key="failing_checks",
                 column_config=CHECK_COLUMNS)
st.subheader("Firing alerts")
alerts = queries.firing_alerts()
if alerts.empty:
    st.success("No alert is firing.")
else:
    st.dataframe(alerts, hide_index=True, key="firing_alerts",
                 column_config={"severity": "Severity", "source": "Source", "title": "Alert",
                                "summary": "Summary", "triggered_at": "Since"})
show_metrics(status)
