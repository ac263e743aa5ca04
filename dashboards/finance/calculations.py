"""The FinOps pages' pure calculations on frames from ``dashboards.finance.queries``: headline figures, trends,
movers and the showback table. No SQL and no Streamlit here, so each is tested on its own. The end-of-month
forecast is not among them: it is the cost_forecast mart's, the budgets' forecast.

Money stays exact: every figure is a ``Decimal`` sum rounded to cents once at the end (as the marts round), and
only charts turn amounts into floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from dashboards.export import csv_bytes

CENT = Decimal("0.01")
TREND_DAYS = 90
MOVER_DAYS = 7
OTHER = "other"
MEASURES = {"effective_cost": "Effective (amortised)", "billed_cost": "Billed (invoiced)"}


@dataclass(frozen=True)
class CostSummary:
    month_to_date: Decimal
    previous_month_to_date: Decimal  # the same days of the previous month
    previous_month: Decimal
    latest_day: Decimal
    week_before: Decimal  # the same weekday a week before the latest day


def cents(amount: Decimal) -> Decimal:
    """Rounded to cents half away from zero, as PostgreSQL's round() does."""
    return Decimal(amount).quantize(CENT, ROUND_HALF_UP)


def costs_since(as_of: date) -> date:
    """The first day the Costs page needs: the trend's and the previous month's."""
    return min(as_of - timedelta(days=TREND_DAYS - 1), previous_month(as_of))


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def same_day_last_month(day: date) -> date:
    """The day of the previous month that month to date compares with: the same day, or that month's last."""
    previous = previous_month(day)
    return min(previous + timedelta(days=day.day - 1), month_end(previous))


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def daily_totals(daily: pd.DataFrame, measure: str) -> dict[date, Decimal]:
    """Day -> the day's exact total of ``measure`` over every team and service."""
    return {day: Decimal(total) for day, total in daily.groupby("charge_day")[measure].sum().items()}


def total(totals: dict[date, Decimal], first: date, last: date) -> Decimal:
    return sum((cost for day, cost in totals.items() if first <= day <= last), Decimal(0))


def cost_summary(totals: dict[date, Decimal], as_of: date) -> CostSummary:
    """The headline figures of a daily series, as of its latest day (the forecast is the cost_forecast mart's)."""
    previous = previous_month(as_of)
    return CostSummary(
        month_to_date=cents(total(totals, as_of.replace(day=1), as_of)),
        previous_month_to_date=cents(total(totals, previous, same_day_last_month(as_of))),
        previous_month=cents(total(totals, previous, month_end(previous))),
        latest_day=cents(totals.get(as_of, Decimal(0))),
        week_before=cents(totals.get(as_of - timedelta(days=7), Decimal(0))),
    )


def stacked_trend(daily: pd.DataFrame, by: str, measure: str, since: date, top: int = 8) -> pd.DataFrame:
    """Cost per day and value of ``by`` (team or service_name) from ``since``: the ``top`` values with the most
    cost, the rest as 'other'. Columns charge_day, group, cost."""
    recent = daily[daily["charge_day"] >= since]
    ranked = recent.groupby(by)[measure].sum().sort_values(ascending=False).index
    kept = ranked if len(ranked) <= top + 1 else ranked[:top]
    group = recent[by].where(recent[by].isin(kept), OTHER)
    trend = recent.assign(group=group).groupby(["charge_day", "group"], as_index=False)[measure].sum()
    return trend.rename(columns={measure: "cost"})


def top_movers(
    daily: pd.DataFrame, as_of: date, measure: str, days: int = MOVER_DAYS, limit: int = 10
) -> pd.DataFrame:
    """The team-service pairs whose cost changed most between the last ``days`` days and the ``days`` before:
    team, service_name, previous, current, change (exact) and change_ratio (None from zero)."""
    current_from = as_of - timedelta(days=days - 1)
    recent = daily[daily["charge_day"] >= current_from - timedelta(days=days)]
    period = recent["charge_day"].map(lambda day: "current" if day >= current_from else "previous")
    sums = recent.assign(period=period).groupby(["team", "service_name", "period"])[measure].sum()
    movers = (
        sums.unstack("period")
        .reindex(columns=["previous", "current"])
        .map(lambda cost: Decimal(0) if pd.isna(cost) else cents(cost))
    )
    movers["change"] = movers["current"] - movers["previous"]
    movers["change_ratio"] = [
        float(change / previous) if previous else None
        for change, previous in zip(movers["change"], movers["previous"], strict=True)
    ]
    movers = movers[movers["change"] != 0].reset_index().rename_axis(columns=None)
    order = movers["change"].map(abs).sort_values(ascending=False, kind="stable").index
    return movers.loc[order].head(limit).reset_index(drop=True)



def showback_table(parts: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One row per team and project, the costliest first: direct cost, the share of each shared pool (a column
    'shared: <pool>' each), shared and total cost, exact, and the share of the grand total (a float)."""
    wide = parts.pivot_table(
        index=["team", "project"],
        columns="cost_pool",
        values=measure,
        aggfunc="sum",
        fill_value=Decimal("0.00"),
    )
    pools = sorted(pool for pool in wide.columns if pool != "direct")
    table = pd.DataFrame(index=wide.index)
    table["direct"] = wide["direct"] if "direct" in wide else Decimal("0.00")
    for pool in pools:
        table[f"shared: {pool}"] = wide[pool]
    table["shared"] = sum(
        (wide[pool] for pool in pools), pd.Series(Decimal("0.00"), index=wide.index, dtype=object)
    )
    table["total"] = table["direct"] + table["shared"]
    grand_total = sum(table["total"], Decimal(0))
    table["share"] = [float(cost / grand_total) if grand_total else None for cost in table["total"]]
    table = table.reset_index()
    order = table["total"].sort_values(ascending=False, kind="stable").index
    return table.loc[order].reset_index(drop=True)


def showback_csv(table: pd.DataFrame, month: date, currency: str, measure: str) -> bytes:
    """The showback table as a spreadsheet-safe CSV, exact amounts, each row naming its month, currency and
    cost measure."""
    export = table.assign(month=f"{month:%Y-%m}", currency=currency, cost=MEASURES[measure])
    return csv_bytes(export, {column: column.capitalize() for column in export.columns})


