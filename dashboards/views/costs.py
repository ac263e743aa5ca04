"""Costs: what the clouds cost, where it goes, and what is changing.

Everything is as of the latest day with billing data. The filters (currency, cost measure, provider, account,
team, project, env) narrow every figure: month to date against the same days of last month, the end-of-month
forecast, the daily trend stacked by team or service, and the top movers of the last week.
"""

from datetime import date, timedelta
from decimal import Decimal

import streamlit as st

from dashboards.finance import calculations, queries
from dashboards.finance.charts import daily_trend, money, money_column, percent_column
from dashboards.text import NONE_LABEL

FILTERS = {
    "provider": "Provider",
    "account": "Account",
    "team": "Team",
    "project": "Project",
    "env": "Environment",
}
STACKS = {"team": "Team", "service_name": "Service"}


def filter_controls(options: queries.CostOptions) -> tuple[queries.CostFilters, str]:
    """Currency and cost measure first (they decide what adds up), then one multiselect per dimension."""
    currency, measure = st.columns([1, 2])
    chosen_currency = currency.selectbox("Currency", options.currencies, key="costs_currency")
    chosen_measure = measure.segmented_control(
        "Cost",
        list(calculations.MEASURES),
        default="effective_cost",
        format_func=calculations.MEASURES.get,
        key="costs_measure",
        help="Effective cost spreads commitments (Savings Plans, reservations) over the days they cover; "
        "billed cost is what the invoice charges, upfront fees on the day they are bought.",
    )
    chosen = {
        name: tuple(slot.multiselect(label, options.values[name], key=f"costs_{name}", format_func=or_none))
        for slot, (name, label) in zip(st.columns(len(FILTERS)), FILTERS.items(), strict=True)
    }
    return queries.CostFilters(currency=chosen_currency, **chosen), chosen_measure or "effective_cost"


def or_none(value: str) -> str:
    return value or NONE_LABEL


def change(now: Decimal, before: Decimal, against: str) -> str | None:
    """A metric's delta: the relative change against an earlier figure, or None when there is nothing to compare."""
    if before == 0:
        return None
    return f"{(now - before) / abs(before):+.1%} vs {against}"


def span(first: date, last: date) -> str:
    """'Jun 13–19', 'Jun 28–Jul 4', 'Jun 1'."""
    if first == last:
        return f"{first:%b} {first.day}"
    end = f"{last.day}" if (first.year, first.month) == (last.year, last.month) else f"{last:%b} {last.day}"
    return f"{first:%b} {first.day}–{end}"


st.title("Costs")
st.caption(
    "What the clouds cost and who spends it, from the FOCUS billing data. Team and project are who pays the "
    "direct cost; shared pools (support, tax, commitments) show as 'shared' here and are split on the Showback page."
)

slices = queries.billing_slices()
refused = slices[slices["latest_status"].isin(queries.REFUSED)]
if not refused.empty:
    st.warning(
        f"{len(refused)} of {len(slices)} billing slices were refused on their latest load; the figures use "
        "their last good load, if any. See Billing data below.",
        icon=":material/report:",
    )

options = queries.cost_options()
as_of = options.as_of
st.sidebar.caption(f"Billing data through {as_of:%Y-%m-%d}")

filters, measure = filter_controls(options)
since = calculations.costs_since(as_of)
daily = queries.daily_costs(filters, since)
currency = filters.currency

if daily.empty:
    st.info("No cost matches these filters.")
else:
    summary = calculations.cost_summary(calculations.daily_totals(daily, measure), as_of)
    month_forecast = queries.month_forecast(filters, measure, as_of)
    previous = calculations.previous_month(as_of)
    same_days = span(previous, calculations.same_day_last_month(as_of))
    to_date, forecast, last_month, latest = st.columns(4)
    to_date.metric(
        "Month to date",
        money(summary.month_to_date, currency),
        change(summary.month_to_date, summary.previous_month_to_date, same_days),
        delta_color="inverse",
        help=f"{span(as_of.replace(day=1), as_of)}, through the latest day with billing data",
    )
    forecast.metric(
        f"Forecast for {as_of:%B}",
        money(month_forecast, currency),
        change(month_forecast, summary.previous_month, f"{previous:%B}"),
        delta_color="inverse",
        help=f"Month to date plus each remaining day at the average weekday or weekend day of the last "
        f"{queries.forecast_window_days()} days, as the budgets forecast",
    )
    last_month.metric(f"{previous:%B %Y}", money(summary.previous_month, currency))
    latest.metric(
        f"Latest day ({as_of:%a %b} {as_of.day})",
        money(summary.latest_day, currency),
        change(summary.latest_day, summary.week_before, "a week before"),
        delta_color="inverse",
    )

    st.header("Daily trend")
    stack = (
        st.segmented_control(
            "Stack by", list(STACKS), default="team", format_func=STACKS.get, key="costs_stack"
        )
        or "team"
    )
    trend_from = as_of - timedelta(days=calculations.TREND_DAYS - 1)
    trend = calculations.stacked_trend(daily, stack, measure, trend_from)
    st.altair_chart(daily_trend(trend, STACKS[stack], f"{calculations.MEASURES[measure]} ({currency})"))

    st.header("Top movers")
    last_week = as_of - timedelta(days=calculations.MOVER_DAYS - 1)
    week_before = last_week - timedelta(days=calculations.MOVER_DAYS)
    st.caption(
        f"Team and service pairs whose cost changed most: {span(last_week, as_of)} against "
        f"{span(week_before, last_week - timedelta(days=1))}."
    )
    movers = calculations.top_movers(daily, as_of, measure)
    st.dataframe(
        movers.assign(change_ratio=movers["change_ratio"] * 100).astype(
            {"previous": float, "current": float, "change": float}
        ),
        hide_index=True,
        column_config={
            "team": "Team",
            "service_name": "Service",
            "previous": money_column("Week before", currency),
            "current": money_column("Last 7 days", currency),
            "change": money_column("Change", currency),
            "change_ratio": percent_column("Change %"),
        },
    )

st.header("Billing data")
st.caption(
    "One slice per provider, billing account and billing period, replaced whole by each load. A slice the "
    "validation gate refuses is quarantined (raw_billing.quarantine) and its last good load stays in use."
)
st.dataframe(
    slices,
    hide_index=True,
    column_config={
        "slice_key": "Slice",
        "latest_status": "Latest load",
        "latest_attempt_at": st.column_config.DatetimeColumn("Attempted", format="YYYY-MM-DD HH:mm"),
        "latest_problem": st.column_config.TextColumn("Why refused", width="large"),
        "latest_warning_count": st.column_config.NumberColumn("Warnings", format="%d"),
        "loaded_rows": st.column_config.NumberColumn("Rows in use", format="%d"),
        "loaded_at": st.column_config.DatetimeColumn("Loaded", format="YYYY-MM-DD HH:mm"),
        "serves_earlier_load": st.column_config.CheckboxColumn("Earlier load in use"),
    },
)

warnings = queries.billing_warnings()
if not warnings.empty:
    st.subheader("Conformance warnings")
    st.caption(
        "Loaded although they deviate from FOCUS: values given their canonical spelling (normalised), and "
        "rules broken on columns that do not make an amount wrong (warning). See docs/focus.md."
    )
    st.dataframe(
        warnings,
        hide_index=True,
        column_config={
            "slice_key": "Slice",
            "severity": "Severity",
            "rule": "Rule",
            "column_name": "Column",
            "row_count": st.column_config.NumberColumn("Rows", format="%d"),
            "reason": st.column_config.TextColumn("What", width="large"),
            "first_example": st.column_config.TextColumn("Example", width="large"),
        },
    )
