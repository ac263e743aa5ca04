"""The Compliance page's Altair charts; each takes a frame from ``dashboards.compliance.queries``."""

from __future__ import annotations

import altair as alt
import pandas as pd


SEVERITY_ORDER = ["critical", "high", "medium", "low"]
SEVERITY_COLORS = ["#7f0000", "#d7301f", "#fc8d59", "#fdd49e"]


def control_pass_rates(posture: pd.DataFrame, title: str) -> alt.Chart:
    """Pass rate per control, worst first, red to green; the tooltip says how many resources fail."""
    return (
        alt.Chart(posture, title=title)
        .mark_bar()
        .encode(
            x=alt.X(
                "pass_rate:Q", title="Pass rate", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
            ),
            y=alt.Y("control_id:N", sort=alt.EncodingSortField("pass_rate", order="ascending"), title=None),
            color=alt.Color(
                "pass_rate:Q", scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"), legend=None
            ),
            tooltip=[
                alt.Tooltip("control_id:N", title="Control"),
                alt.Tooltip("policy_ids:N", title="Policies"),
                alt.Tooltip("evaluated_resources:Q", title="Evaluated"),
                alt.Tooltip("failing_resources:Q", title="Failing"),
                alt.Tooltip("waived_resources:Q", title="Waived"),
                alt.Tooltip("pass_rate:Q", title="Pass rate", format=".1%"),
            ],
        )
        .properties(height=alt.Step(22))
    )


def findings_trend(trend: pd.DataFrame) -> alt.Chart:
    """Open findings at the end of each day, stacked by severity (most severe at the bottom); bars, so the
    first day of a new install shows too."""
    return (
        alt.Chart(trend, title="Open findings per day")
        .mark_bar()
        .encode(
            x=alt.X("trend_date:T", title=None),
            y=alt.Y("open_findings:Q", title="Open findings", stack=True),
            color=alt.Color(
                "severity:N",
                title="Severity",
                scale=alt.Scale(domain=SEVERITY_ORDER, range=SEVERITY_COLORS),
                sort=SEVERITY_ORDER,
            ),
            order=alt.Order("severity_rank:Q"),
            tooltip=[
                alt.Tooltip("trend_date:T", title="Day"),
                alt.Tooltip("severity:N", title="Severity"),
                alt.Tooltip("open_findings:Q", title="Open"),
                alt.Tooltip("new_findings:Q", title="New"),
                alt.Tooltip("resolved_findings:Q", title="Resolved"),
                alt.Tooltip("waived_findings:Q", title="Waived"),
            ],
        )
        .transform_calculate(severity_rank=f"indexof({SEVERITY_ORDER}, datum.severity)")
    )
