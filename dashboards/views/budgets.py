"""Budgets: are we on budget this month, and will we stay there?

Each configured budget (costs.budgets) with its effective cost month to date, the end-of-month forecast and the
thresholds both have crossed, for the month chosen (the latest by default); the chart lines them up in percent,
the table gives the amounts.
"""

import streamlit as st

from dashboards.finance import queries
from dashboards.finance.charts import budget_bullets, money_column, percent_column

COLUMNS = (
    "budget_scope",
    "budget_name",
    "status",
    "monthly_amount",
    "actual_cost",
    "actual_percent",
    "forecast_cost",
    "forecast_percent",
    "thresholds",
    "actual_thresholds_crossed",
    "forecast_thresholds_crossed",
    "currency",
)


def crossed(thresholds: list[int]) -> str:
    return ", ".join(f"{threshold} %" for threshold in thresholds) or "none"


st.title("Budgets")
st.caption(
    "Effective (amortised) cost against each monthly budget: for a team or project its allocated cost, shared "
    "parts included (see Showback); for an account its own cost. The forecast adds, for each day left in the "
    f"month, the average weekday or weekend day of the last {queries.forecast_window_days()} days."
)

as_of = queries.billing_as_of()
st.sidebar.caption(f"Billing data through {as_of:%Y-%m-%d}")
months = queries.budget_months()
if not months:
    st.info(
        "No budgets yet: add them under costs.budgets in cloudforge.yaml (scope team, project or account, "
        "name, monthly_amount, thresholds), then `cloudforge run`."
    )
else:
    month = st.columns(4)[0].selectbox(
        "Month", months, format_func=lambda first: f"{first:%B %Y}", key="budgets_month"
    )
    budgets = queries.budgets(month)
    through = budgets["through_day"].max()

    count, over, forecast_over, alerting = st.columns(4)
    count.metric("Budgets", f"{len(budgets):,}")
    over.metric(
        "Over budget", f"{int((budgets['actual_percent'] >= 100).sum()):,}", help="Spent 100 % or more"
    )
    forecast_over.metric(
        "Forecast over budget",
        f"{int((budgets['forecast_percent'] >= 100).sum()):,}",
        help="Forecast to end the month at 100 % or more",
    )
    alerting.metric(
        "Thresholds crossed",
        f"{int(budgets['actual_thresholds_crossed'].map(len).sum()):,}",
        help="Thresholds reached by the cost so far, over all budgets; each one alerts once",
    )
    days = budgets.iloc[0]
    st.caption(
        f"{month:%B %Y}: {days['days_elapsed']} of {days['days_in_month']} days, through {through:%Y-%m-%d}."
    )

    st.altair_chart(budget_bullets(budgets))
    currencies = budgets["currency"].unique()
    currency = currencies[0] if len(currencies) == 1 else None
    st.dataframe(
        budgets.assign(
            actual_thresholds_crossed=budgets["actual_thresholds_crossed"].map(crossed),
            forecast_thresholds_crossed=budgets["forecast_thresholds_crossed"].map(crossed),
            thresholds=budgets["thresholds"].map(crossed),
        ).astype(
            {
                column: float
                for column in (
                    "monthly_amount",
                    "actual_cost",
                    "forecast_cost",
                    "actual_percent",
                    "forecast_percent",
                )
            }
        ),
        hide_index=True,
        column_order=COLUMNS,
        column_config={
            "budget_scope": "Scope",
            "budget_name": "Name",
            "status": "Status",
            "monthly_amount": money_column("Budget", currency),
            "actual_cost": money_column("Spent", currency),
            "actual_percent": percent_column("Spent %"),
            "forecast_cost": money_column("Forecast", currency),
            "forecast_percent": percent_column("Forecast %"),
            "thresholds": "Thresholds",
            "actual_thresholds_crossed": "Crossed",
            "forecast_thresholds_crossed": "Forecast crosses",
            "currency": "Currency",
        },
    )
