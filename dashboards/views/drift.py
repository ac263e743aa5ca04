"""Drift: is what runs what Terraform declared, and what does the difference cost.

Filters by account, team and category narrow everything below them: the headline counts and coverage, the
coverage per account and team with its priced drift, the coverage trend, and the resources, whose selected row
shows its attribute differences.
"""

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.drift import queries
from dashboards.text import literal

CATEGORIES = ("changed", "missing", "unmanaged", "managed")
LABELS = {
    "drift_category": "Category", "is_ignored": "Ignored", "ignore_reason": "Why ignored", "account_id": "Account",
    "region": "Region", "resource_type": "Type", "resource_id": "ID", "name": "Name", "team": "Team",
    "state_uri": "State file", "address": "Address", "differing_attributes": "Differences",
    "monthly_cost": st.column_config.NumberColumn("Monthly cost", format="%.2f"), "is_conflict": "Conflict",
}
TABLE_COLUMNS = tuple(LABELS)
COVERAGE_LABELS = {
    "account_id": "Account", "team": "Team", "managed": "Managed", "changed": "Changed", "missing": "Missing",
    "unmanaged": "Unmanaged", "ignored": "Ignored",
    "coverage": st.column_config.ProgressColumn("Coverage", format="percent", min_value=0, max_value=1),
    "unmanaged_monthly_cost": st.column_config.NumberColumn("Unmanaged, monthly", format="%.2f"),
    "changed_monthly_cost": st.column_config.NumberColumn("Changed, monthly", format="%.2f"),
}


def filter_controls() -> queries.DriftFilters:
    known = queries.choices()
    account, team, category, ignored = st.columns([2, 2, 2, 1])
    return queries.DriftFilters(
        accounts=tuple(account.multiselect("Account", sorted(known["account_id"].unique()), key="drift_accounts")),
        teams=tuple(team.multiselect("Team", sorted(known["team"].unique()), key="drift_teams")),
        categories=tuple(category.multiselect("Category", CATEGORIES, key="drift_categories")),
        show_ignored=ignored.toggle("Show ignored", key="drift_show_ignored"),
    )


def show_differences(row: pd.Series) -> None:
    st.subheader(literal(f"{row['resource_type']} {row['name']}"))
    st.caption(literal(f"{row['address'] or 'not declared'} in {row['state_uri'] or 'no state'}"))
    differences = queries.attribute_differences(row["resource_key"])
    if row["drift_category"] == "missing":
        st.info("Declared in the state, not found running: deleted out of band, or not applied yet.")
    elif row["drift_category"] == "unmanaged":
        st.info("Running, declared by no state: created by hand, or by another tool.")
    elif differences.empty:
        st.success("Every compared attribute matches the state.")
    st.dataframe(differences, hide_index=True, column_config={
        "attribute_path": "Attribute", "declared_value": "Declared", "live_value": "Live",
        "is_security_relevant": "Security", "is_ignored": "Ignored", "ignore_reason": "Why ignored"})


st.title("Drift")
st.caption("What runs against what the Terraform states declare, and what the difference costs.")

filters = filter_controls()
coverage = queries.coverage(filters)
totals = coverage[["managed", "changed", "missing", "unmanaged", "ignored"]].sum()
counted = totals[["managed", "changed", "missing", "unmanaged"]].sum()
share, managed, changed, missing, unmanaged, ignored = st.columns(6)
share.metric("Coverage", f"{(totals['managed'] + totals['changed']) / counted:.0%}" if counted else "—",
             help="(managed + changed) / (managed + changed + missing + unmanaged), ignored ones left out")
managed.metric("Managed", f"{totals['managed']:,}")
changed.metric("Changed", f"{totals['changed']:,}")
missing.metric("Missing", f"{totals['missing']:,}")
unmanaged.metric("Unmanaged", f"{totals['unmanaged']:,}")
ignored.metric("Ignored", f"{totals['ignored']:,}", help="Covered by drift.ignore rules: counted apart")

st.header("Coverage per account and team")
st.caption(f"Unmanaged resources cost {coverage['unmanaged_monthly_cost'].sum():,.2f} a month, changed ones "
           f"{coverage['changed_monthly_cost'].sum():,.2f} (their last 30 days of billing).")
st.dataframe(coverage, hide_index=True, column_order=tuple(COVERAGE_LABELS), column_config=COVERAGE_LABELS)

st.header("Trend")
history = queries.trend(filters)
st.altair_chart(
    alt.Chart(history).mark_line(point=True).encode(
        x=alt.X("coverage_day:T", title="Day"),
        y=alt.Y("coverage:Q", title="Coverage", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
    )
)

st.header("Resources")
table = queries.resources(filters)
st.caption(f"{len(table):,} resources. Select a row to see what differs.")
selection = st.dataframe(table, hide_index=True, key="drift_table", on_select="rerun",
                         selection_mode="single-row", column_order=TABLE_COLUMNS, column_config=LABELS)
selected = [row for row in selection.selection.rows if row < len(table)]
if selected:
    with st.container(border=True):
        show_differences(table.iloc[selected[0]])
