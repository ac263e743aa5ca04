"""The Inventory page's Altair charts; each takes a frame from ``dashboards.inventory.queries``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.text import NONE_LABEL



def resources_by(totals: pd.DataFrame, title: str) -> alt.Chart:
    """Horizontal bars of resources per value, largest first, so long names (accounts, types) stay legible."""
    frame = totals.assign(value=totals["value"].replace("", NONE_LABEL))
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X("resources:Q", title="Resources"),
            y=alt.Y("value:N", sort="-x", title=None),
            tooltip=[alt.Tooltip("value:N", title=title), alt.Tooltip("resources:Q", title="Resources")],
        )
        .properties(height=alt.Step(24))
    )


def coverage_heatmap(coverage: pd.DataFrame) -> alt.LayerChart:
    """Tag coverage per account (rows) and team (columns): red where owners cannot be found."""
    frame = coverage.assign(team=coverage["team"].replace("", NONE_LABEL))
    base = alt.Chart(frame).encode(
        x=alt.X("team:N", title="Team", axis=alt.Axis(labelAngle=-45, labelOverlap=False)),
        y=alt.Y("account_id:N", title="Account"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "coverage_ratio:Q",
            title="Coverage",
            scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            alt.Tooltip("account_id:N", title="Account"),
            alt.Tooltip("team:N", title="Team"),
            alt.Tooltip("compliant_resource_count:Q", title="Fully tagged"),
            alt.Tooltip("resource_count:Q", title="Resources"),
            alt.Tooltip("coverage_ratio:Q", title="Coverage", format=".0%"),
        ],
    )
    on_dark_red = alt.datum.coverage_ratio < 0.25
    labels = base.mark_text(fontWeight="bold").encode(
        text=alt.Text("coverage_ratio:Q", format=".0%"),
        color=alt.when(on_dark_red).then(alt.value("white")).otherwise(alt.value("black")),
    )
    return (cells + labels).properties(height=alt.Step(40))
