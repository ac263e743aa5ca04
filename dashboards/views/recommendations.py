"""Recommendations: what we can save, largest saving first.

Headline figures count the open recommendations and what they would save a month; the filters narrow the table
(open ones by default), which downloads as CSV; each row says what to do and the figures it rests on.
"""

import streamlit as st

from dashboards.export import csv_bytes
from dashboards.monitoring import queries
from dashboards.text import NONE_LABEL

LABELS = {
    "kind": "Kind",
    "monthly_saving": "Saving / month",
    "currency": "Currency",
    "resource_id": "Resource",
    "name": "Name",
    "resource_type": "Type",
    "account_id": "Account",
    "region": "Region",
    "team": "Team",
    "project": "Project",
    "env": "Environment",
    "action": "What to do",
    "evidence": "Evidence",
    "saving_source": "Saving from",
    "status": "Status",
    "dismissed_reason": "Dismissed because",
    "dismissed_until": "Dismissed until",
}
FILTERED = ("kind", "team", "account_id", "status")


def filter_controls() -> queries.RecommendationFilters:
    """One multiselect per filtered column, offering the values the recommendations have; open ones first."""
    options = queries.recommendation_options()
    chosen = {}
    for slot, column in zip(st.columns(len(FILTERED)), FILTERED):
        values = list(options.loc[options["column_name"] == column, "value"])
        default = ["open"] if column == "status" and "open" in values else []
        chosen[column] = tuple(slot.multiselect(LABELS[column], values, default=default, key=f"recommend_{column}",
                                                format_func=lambda value: value or NONE_LABEL))
    return queries.RecommendationFilters(**chosen)


st.title("Recommendations")
filters = filter_controls()
table = queries.recommendations(filters)
open_ones = table[table["status"] == "open"]
count, saving = st.columns(2)
count.metric("Open recommendations", f"{len(open_ones):,}")
saving.metric("Open savings a month", f"{open_ones['monthly_saving'].sum():,.2f} USD")
if table.empty:
    st.info("No recommendation matches these filters.")
else:
    st.dataframe(table, hide_index=True, key="recommendation_table",
                 column_config={column: label for column, label in LABELS.items()})
    st.download_button("Download CSV", csv_bytes(table, LABELS), file_name="recommendations.csv",
                       mime="text/csv", icon=":material/download:")
st.caption("Savings are the resource's billed cost over the last 30 days of billing where it has billing lines, "
           "else the shipped price table; rightsizing and older generations are priced from the price table.")
