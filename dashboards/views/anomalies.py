"""Anomalies: what spiked, against what it usually costs, and which billing lines did it.

The table lists every day a team's usage of a service cost far more than its baseline (the median of the same
weekday over the trailing window), latest first; the selected row (the latest by default) opens its series
around the day, with the baseline, and the billing lines behind it.
"""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboards import connection
from dashboards.finance import queries
from dashboards.finance.charts import anomaly_history, money, money_column, show_line_items
from dashboards.text import literal

COLUMNS = (
    "charge_day",
    "team",
    "service_name",
    "provider",
    "effective_cost",
    "baseline_cost",
    "impact",
    "deviation",
    "billing_currency",
)
HISTORY_DAYS_AFTER = 14


def show_anomaly(anomaly: pd.Series, window_days: int, as_of: date) -> None:
    """The anomaly in words, its series around the day with the baseline, and its billing lines."""
    key = queries.Anomaly(
        charge_day=anomaly["charge_day"],
        provider=anomaly["provider"],
        currency=anomaly["billing_currency"],
        team=anomaly["team"],
        service_name=anomaly["service_name"],
    )
    currency, day = key.currency, key.charge_day
    st.subheader(f"{literal(key.service_name)} for team {literal(key.team)} on {day:%A} {day:%Y-%m-%d}")
    spread = (
        f"{anomaly['deviation']} robust standard deviations above it"
        if pd.notna(anomaly["deviation"])
        else "a series that never varies"
    )
    st.markdown(
        f"Usage cost **{money(anomaly['effective_cost'], currency)}** against a baseline of "
        f"**{money(anomaly['baseline_cost'], currency)}**, the median of the {day:%A}s in the {window_days} days "
        f"before: **{money(anomaly['impact'], currency)}** more ({spread}; spread "
        f"{money(anomaly['spread'], currency)})."
    )
    window_start, last = (
        day - timedelta(days=window_days),
        min(day + timedelta(days=HISTORY_DAYS_AFTER), as_of),
    )
    st.altair_chart(anomaly_history(queries.anomaly_history(key, window_start, last), anomaly, window_days))
    st.markdown("**Billing lines behind it**")
    show_line_items(queries.anomaly_line_items(key), currency, key="anomaly_lines")


st.title("Anomalies")
detector = connection.settings().costs.anomalies
st.caption(
    f"Days when a team's usage of a service cost at least {detector.min_deviation} robust standard deviations "
    f"and {detector.min_impact} (in its currency) more than its baseline, the median of the same weekday over the previous "
    f"{detector.window_days} days; weekly patterns are the baseline, not anomalies. Shared pools count as team "
    "'shared'."
)

as_of = queries.billing_as_of()
st.sidebar.caption(f"Billing data through {as_of:%Y-%m-%d}")
anomalies = queries.anomalies()
recent = anomalies[anomalies["charge_day"] > as_of - timedelta(days=detector.alert_days)]

count, alerting, latest = st.columns(3)
count.metric("Anomalies", f"{len(anomalies):,}")
alerting.metric(
    f"In the last {detector.alert_days} days",
    f"{len(recent):,}",
    help="These raise alerts (costs.anomalies.alert_days); older ones are resolved",
)
latest.metric("Latest", "—" if anomalies.empty else f"{anomalies['charge_day'].iloc[0]:%Y-%m-%d}")

if anomalies.empty:
    st.success("No anomalies: every team's usage of every service stayed within its usual range.")
else:
    currencies = anomalies["billing_currency"].unique()
    currency = currencies[0] if len(currencies) == 1 else None
    st.caption("Select a row to see its series and billing lines; the latest is shown until you do.")
    selection = st.dataframe(
        anomalies.astype(
            {"effective_cost": float, "baseline_cost": float, "impact": float, "deviation": float}
        ),
        hide_index=True,
        key="anomaly_table",
        on_select="rerun",
        selection_mode="single-row",
        column_order=COLUMNS,
        column_config={
            "charge_day": st.column_config.DateColumn("Day", format="ddd YYYY-MM-DD"),
            "team": "Team",
            "service_name": "Service",
            "provider": "Provider",
            "effective_cost": money_column("Cost", currency),
            "baseline_cost": money_column("Baseline", currency),
            "impact": money_column("Above baseline", currency),
            "deviation": st.column_config.NumberColumn(
                "Deviations", format="%.1f", help="Robust standard deviations above the baseline"
            ),
            "billing_currency": "Currency",
        },
    )
    selected = [row for row in selection.selection.rows if row < len(anomalies)] or [0]
    with st.container(border=True):
        show_anomaly(anomalies.iloc[selected[0]], detector.window_days, as_of)
