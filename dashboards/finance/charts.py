"""How money looks on the FinOps pages: amounts as text, money columns, line-item tables and the Altair charts.

Amounts arrive as exact decimals; charts take them as floats (cents stay exact far beyond any bill). Days are
plotted in UTC, the billing data's calendar, so a browser west of Greenwich does not move them a day back.
"""

from __future__ import annotations

from decimal import Decimal

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.finance.calculations import OTHER, cents
from dashboards.finance.queries import LineItems
from dashboards.text import literal

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
COLUMN_FORMATS = {"USD": "dollar", "EUR": "euro"}
DAY = "utcyearmonthdate(charge_day):T"
AMOUNT_FORMAT = ",.2f"


def money(amount: Decimal, currency: str) -> str:
    """'$1,234.50', '-€12.00'; a currency without a symbol here as '1,234.50 CHF'. Half a cent rounds up, as in
    the marts. The currency comes from the billing data: it is escaped, as the text is shown as Markdown."""
    rounded = cents(amount)
    sign = "-" if rounded < 0 else ""
    symbol = SYMBOLS.get(currency)
    text = f"{abs(rounded):,.2f}"
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {literal(currency)}"


def money_column(label: str, currency: str | None, **options: object) -> st.column_config.NumberColumn:
    """A table column of amounts in ``currency`` (None: several, named in another column), two decimals with
    thousands separators."""
    number_format = COLUMN_FORMATS.get(currency, f"%,.2f {currency}") if currency else "%,.2f"
    return st.column_config.NumberColumn(label, format=number_format, **options)


def percent_column(label: str) -> st.column_config.NumberColumn:
    """A table column of percentages, given as percent (12.5 for 12.5 %)."""
    return st.column_config.NumberColumn(label, format="%.1f %%")


def _plotted(frame: pd.DataFrame, *amounts: str) -> pd.DataFrame:
    """Amounts as floats and days as ISO dates (read as UTC), for Vega-Lite."""
    converted = {column: frame[column].astype(float) for column in amounts}
    if "charge_day" in frame:
        converted["charge_day"] = frame["charge_day"].map(lambda day: day.isoformat())
    return frame.assign(**converted)


def daily_trend(trend: pd.DataFrame, group_title: str, cost_title: str) -> alt.Chart:
    """Cost per day stacked by group, the costliest group at the bottom and 'other' on top."""
    frame = _plotted(trend, "cost")
    totals = frame.groupby("group")["cost"].sum().sort_values(ascending=False)
    order = [group for group in totals.index if group != OTHER] + ([OTHER] if OTHER in totals.index else [])
    frame["rank"] = frame["group"].map(order.index)
    return (
        alt.Chart(frame, title="Daily cost")
        .mark_bar()
        .encode(
            x=alt.X(DAY, title=None, axis=alt.Axis(format="%b %d")),
            y=alt.Y("cost:Q", title=cost_title, stack=True),
            color=alt.Color("group:N", title=group_title, sort=order, scale=alt.Scale(scheme="tableau10")),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip(DAY, title="Day", format="%a %Y-%m-%d"),
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip("cost:Q", title=cost_title, format=AMOUNT_FORMAT),
            ],
        )
        .properties(height=360)
    )


# A budget's state, worst first, and its colour.
LEVELS = {
    "over budget": "#d7301f",
    "forecast over budget": "#fc8d59",
    "threshold crossed": "#fee08b",
    "on track": "#1a9850",
}


def budget_bullets(budgets: pd.DataFrame) -> alt.LayerChart:
    """Per budget: spent so far (bar, coloured by state), the forecast (black tick), its thresholds (grey ticks)
    and 100 % (red rule), all in percent of the monthly amount so budgets in any currency line up."""
    frame = _plotted(
        budgets, "actual_percent", "forecast_percent", "actual_cost", "forecast_cost", "monthly_amount"
    )
    frame["budget"] = frame["budget_scope"] + " " + frame["budget_name"]
    frame["level"] = frame["status"].map(lambda status: status if status in LEVELS else "threshold crossed")
    thresholds = frame[["budget", "thresholds"]].explode("thresholds").dropna()
    y = alt.Y("budget:N", title=None, sort=list(frame["budget"]), axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("budget:N", title="Budget"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("monthly_amount:Q", title="Budget", format=AMOUNT_FORMAT),
        alt.Tooltip("actual_cost:Q", title="Spent", format=AMOUNT_FORMAT),
        alt.Tooltip("actual_percent:Q", title="Spent %", format=".1f"),
        alt.Tooltip("forecast_cost:Q", title="Forecast", format=AMOUNT_FORMAT),
        alt.Tooltip("forecast_percent:Q", title="Forecast %", format=".1f"),
        alt.Tooltip("currency:N", title="Currency"),
    ]
    base = alt.Chart(frame)
    spent = base.mark_bar(size=16).encode(
        x=alt.X("actual_percent:Q", title="% of the monthly budget"),
        y=y,
        color=alt.Color(
            "level:N",
            title=None,
            scale=alt.Scale(domain=list(LEVELS), range=list(LEVELS.values())),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=tooltip,
    )
    forecast = base.mark_tick(color="black", thickness=3, size=26).encode(
        x="forecast_percent:Q", y=y, tooltip=tooltip
    )
    marks = (
        alt.Chart(thresholds)
        .mark_tick(color="#666", thickness=1, size=26)
        .encode(x="thresholds:Q", y=y, tooltip=[alt.Tooltip("thresholds:Q", title="Threshold %")])
    )
    full = (
        alt.Chart(pd.DataFrame({"percent": [100]}))
        .mark_rule(color="#d7301f", strokeDash=[4, 3])
        .encode(x="percent:Q")
    )
    return (spent + forecast + marks + full).properties(
        title="Spent (bar), forecast (black tick) and thresholds (grey ticks) against each budget",
        height=alt.Step(40),
    )


def anomaly_history(history: pd.DataFrame, anomaly: pd.Series, window_days: int) -> alt.LayerChart:
    """The series around the anomaly: its day in red, the same weekdays of the window its baseline is the median
    of in dark blue, other days pale; the baseline as a dashed rule."""
    frame = _plotted(history, "effective_cost")
    day = anomaly["charge_day"]
    days_back = history["charge_day"].map(lambda other: (day - other).days)
    same_weekday = (days_back > 0) & (days_back <= window_days) & (days_back % 7 == 0)
    frame["kind"] = "other days"
    frame.loc[same_weekday, "kind"] = f"{day:%A}s of the window"
    frame.loc[days_back == 0, "kind"] = "the anomaly"
    kinds = ["the anomaly", f"{day:%A}s of the window", "other days"]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(DAY, title=None, axis=alt.Axis(format="%b %d")),
            y=alt.Y("effective_cost:Q", title=f"Usage cost ({anomaly['billing_currency']})"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=kinds, range=["#d7301f", "#2c7fb8", "#c6dbef"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip(DAY, title="Day", format="%a %Y-%m-%d"),
                alt.Tooltip("effective_cost:Q", title="Usage cost", format=AMOUNT_FORMAT),
            ],
        )
    )
    baseline = pd.DataFrame({"baseline": [float(anomaly["baseline_cost"])], "label": ["baseline"]})
    rule = alt.Chart(baseline).encode(
        y="baseline:Q", tooltip=[alt.Tooltip("baseline:Q", title="Baseline", format=AMOUNT_FORMAT)]
    )
    label = rule.mark_text(align="left", dx=4, dy=-7, x=0).encode(text="label:N")
    return (bars + rule.mark_rule(strokeDash=[4, 3]) + label).properties(
        title="Daily usage cost around the anomaly", height=300
    )


def showback_bars(parts: pd.DataFrame, measure: str, currency: str) -> alt.Chart:
    """Each team's cost, its direct part first, then its share of each shared pool; the costliest team on top."""
    frame = _plotted(parts.groupby(["team", "cost_pool"], as_index=False)[measure].sum(), measure)
    order = frame.groupby("team")[measure].sum().sort_values(ascending=False).index.tolist()
    frame["part"] = frame["cost_pool"].map(lambda pool: "direct" if pool == "direct" else f"shared: {pool}")
    frame["rank"] = (frame["cost_pool"] != "direct").astype(int)
    return (
        alt.Chart(frame, title="Cost per team: direct and shared")
        .mark_bar()
        .encode(
            x=alt.X(f"{measure}:Q", title=f"Cost ({currency})", stack=True),
            y=alt.Y("team:N", title=None, sort=order),
            color=alt.Color("part:N", title="Part", scale=alt.Scale(scheme="tableau10")),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("team:N", title="Team"),
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip(f"{measure}:Q", title="Cost", format=AMOUNT_FORMAT),
            ],
        )
        .properties(height=alt.Step(28))
    )


LINE_ITEM_COLUMNS = (
    "charge_day",
    "sub_account_id",
    "region_id",
    "resource_name",
    "charge_description",
    "consumed_quantity",
    "consumed_unit",
    "effective_cost",
    "billed_cost",
    "service_name",
    "charge_category",
    "commitment_discount_status",
    "tags",
    "resource_id",
    "line_item_id",
)


def show_line_items(items: LineItems, currency: str, key: str) -> None:
    """A table of billing lines, the costliest first, under what they all add up to."""
    shown = f" Showing the {len(items.rows):,} costliest." if len(items.rows) < items.matches else ""
    st.caption(
        f"{items.matches:,} billing line{'' if items.matches == 1 else 's'}: effective cost {money(items.effective_cost, currency)}, billed "
        f"{money(items.billed_cost, currency)}.{shown}"
    )
    st.dataframe(
        items.rows.astype({"billed_cost": float, "effective_cost": float, "consumed_quantity": float}),
        hide_index=True,
        key=key,
        column_order=LINE_ITEM_COLUMNS,
        column_config={
            "charge_day": st.column_config.DateColumn("Day", format="YYYY-MM-DD"),
            "sub_account_id": "Account",
            "region_id": "Region",
            "service_name": "Service",
            "resource_name": "Resource",
            "charge_category": "Category",
            "charge_description": st.column_config.TextColumn("Description", width="medium"),
            "consumed_quantity": st.column_config.NumberColumn("Quantity", format="%,.4f"),
            "consumed_unit": "Unit",
            "billed_cost": money_column("Billed", currency),
            "effective_cost": money_column("Effective", currency),
            "commitment_discount_status": "Commitment",
            "tags": "Tags",
            "resource_id": "Resource ID",
            "line_item_id": "Line item",
        },
    )
