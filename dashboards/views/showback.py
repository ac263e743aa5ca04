"""Showback: who pays for what, to the cent.

For the month and currency chosen, each team and project's direct cost and its share of every shared pool
(support, tax, commitments, as costs.shared_pools splits them), with what nobody can be charged for as
'unallocated'. The table downloads as CSV; its selected row opens the billing lines of its direct cost and its
shared parts.
"""

from datetime import date

import pandas as pd
import streamlit as st

from dashboards.export import csv_bytes
from dashboards.finance import calculations, queries
from dashboards.finance.charts import money, money_column, percent_column, show_line_items, showback_bars
from dashboards.text import literal


def period_controls(periods: pd.DataFrame) -> tuple:
    """Month (latest first), currency (those with cost that month, most first) and cost measure."""
    month_slot, currency_slot, measure_slot = st.columns([1, 1, 2])
    months = list(dict.fromkeys(periods["month"]))
    month = month_slot.selectbox(
        "Month", months, format_func=lambda first: f"{first:%B %Y}", key="showback_month"
    )
    in_month = periods[periods["month"] == month]
    currency = currency_slot.selectbox("Currency", list(in_month["currency"]), key="showback_currency")
    measure = (
        measure_slot.segmented_control(
            "Cost",
            list(calculations.MEASURES),
            default="effective_cost",
            format_func=calculations.MEASURES.get,
            key="showback_measure",
            help="Showback usually charges effective cost: commitments spread over the days they cover.",
        )
        or "effective_cost"
    )
    through = in_month.loc[in_month["currency"] == currency, "through_day"].iloc[0]
    return month, currency, measure, through


def amounts(table: pd.DataFrame, currency: str) -> dict:
    """Column configuration for the showback table's amount columns."""
    columns = [column for column in table.columns if column not in ("team", "project", "share")]
    return {column: money_column(column.capitalize(), currency) for column in columns}


def show_row(row: pd.Series, parts: pd.DataFrame, month: date, currency: str, measure: str) -> None:
    """The shared parts and the billing lines of one team and project."""
    team, project = row["team"], row["project"]
    st.subheader(literal(f"{team} / {project}"))
    shares = parts[(parts["team"] == team) & (parts["project"] == project) & (parts["cost_pool"] != "direct")]
    if shares.empty:
        st.caption("No share of any shared pool.")
    else:
        pool_totals = parts.groupby("cost_pool")[measure].sum()
        st.markdown("**Shared parts**")
        st.dataframe(
            shares.assign(
                pool_total=shares["cost_pool"].map(pool_totals).astype(float),
                share=[
                    float(100 * cost / pool_totals[pool]) if pool_totals[pool] else None
                    for pool, cost in zip(shares["cost_pool"], shares[measure], strict=True)
                ],
                amount=shares[measure].astype(float),
            ),
            hide_index=True,
            column_order=("cost_pool", "amount", "pool_total", "share"),
            column_config={
                "cost_pool": "Pool",
                "amount": money_column("Share", currency),
                "pool_total": money_column("Pool total", currency),
                "share": percent_column("Of the pool"),
            },
        )
    st.markdown("**Billing lines of the direct cost**")
    st.caption(
        f"Allocated direct cost: {money(row['direct'], currency)}. Allocation rounds each day's parts to the cent, "
        "so the lines' exact sum may differ by a few cents."
    )
    items = queries.allocation_line_items(month, currency, team, project)
    show_line_items(items, currency, key="showback_lines")
    st.download_button(
        "Download these lines (CSV)",
        csv_bytes(items.rows),
        file_name=f"lines-{team}-{project}-{month:%Y-%m}-{currency}.csv",
        mime="text/csv",
        key="showback_lines_csv",
    )


st.title("Showback")
st.caption(
    "Allocated cost per team and project: the direct cost (tags, tag rules, account defaults) and each one's "
    "share of the shared pools, to the cent; the parts add up to the billing data (cost_reconciliation)."
)

st.sidebar.caption(f"Billing data through {queries.billing_as_of():%Y-%m-%d}")
month, currency, measure, through = period_controls(queries.allocation_periods())
parts = queries.allocation_parts(month, currency)
table = calculations.showback_table(parts, measure)

total, direct, shared, unallocated = st.columns(4)
grand_total = sum(table["total"])
total.metric(
    "Total",
    money(grand_total, currency),
    help=f"{calculations.MEASURES[measure]} cost, {month:%B} 1 to {through:%B} {through.day}",
)
direct.metric("Direct", money(sum(table["direct"]), currency))
shared.metric("Shared", money(sum(table["shared"]), currency), help="Cost of shared pools, split among teams")
unallocated.metric(
    "Unallocated",
    money(sum(table.loc[table["team"] == "unallocated", "total"]), currency),
    help="Cost no tag, tag rule or account default assigns, and pools nobody could take",
)

st.altair_chart(showback_bars(parts, measure, currency))

st.header("Per team and project")
st.caption("Select a row to see its shared parts and the billing lines of its direct cost.")
selection = st.dataframe(
    table.assign(share=table["share"] * 100).astype(
        {column: float for column in table.columns if column not in ("team", "project")}
    ),
    hide_index=True,
    key="showback_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        "team": "Team",
        "project": "Project",
        **amounts(table, currency),
        "share": percent_column("Share"),
    },
)
st.download_button(
    "Download showback (CSV)",
    calculations.showback_csv(table, month, currency, measure),
    file_name=f"showback-{month:%Y-%m}-{currency}.csv",
    mime="text/csv",
    key="showback_csv",
)
selected = [row for row in selection.selection.rows if row < len(table)]
if selected:
    with st.container(border=True):
        show_row(table.iloc[selected[0]], parts, month, currency, measure)
