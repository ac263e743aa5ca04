"""The FinOps pages (Costs, Budgets, Anomalies, Showback) run by AppTest on the cost marts built from the
hand-built billing (dbt_raw_billing, the `cost_url` build this folder shares), as of Wednesday 2024-06-19.

Expected figures are summed here from the fixture's FOCUS records, or are the hand-worked ones of
test_cost_models.py; the forecasts must equal budget_status's where a filter selects what a budget measures.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from dbt_raw_billing import (
    AZURE_JUNE_WARNING,
    GCP_PROJECT,
    PROVIDERS,
    REFUSED_GCP_JUNE,
    SUBSCRIPTION,
    UNREADABLE,
    focus_records,
)
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from support.literal import rendered_text
from support.marts import create_marts
from support.pages import captions, chart_rows, metrics, run_page, selected_row, table_with

from cloudforge.warehouse import connect, create_database
from dashboards.finance.calculations import showback_csv, showback_table
from dashboards.finance.queries import NO_BILLING, allocation_parts

JUNE, MAY = date(2024, 6, 1), date(2024, 5, 1)
AS_OF = date(2024, 6, 19)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def billed(first: date, last: date, cost: str = "effective_cost", **where: str) -> Decimal:
    """The exact sum of ``cost`` over the fixture's lines charged from ``first`` to ``last`` matching ``where``."""
    return sum(
        (
            record[cost]
            for record in focus_records()
            if first <= record["charge_period_start"].date() <= last
            and all(record[column] == value for column, value in where.items())
        ),
        Decimal(0),
    )


def budget_forecast(url: str, budget_id: str) -> Decimal:
    with connect(url) as conn:
        [(forecast,)] = conn.execute(
            "SELECT forecast_cost FROM marts.budget_status WHERE budget_id = %s AND is_current_month",
            (budget_id,),
        ).fetchall()
    return forecast


# --- Costs ------------------------------------------------------------------------------------------------


def test_costs_headline_is_month_to_date_as_of_the_latest_billed_day(cost_url, monkeypatch):
    """USD, the default currency (the most cost), unfiltered: June 1-19 against May 1-19 (the billing starts May
    6), May in full, and Wednesday the 19th against Wednesday the 12th."""
    app = run_page(cost_url, "costs", monkeypatch)

    usd = {"billing_currency": "USD"}
    to_date, same_days = cents(billed(JUNE, AS_OF, **usd)), cents(billed(MAY, date(2024, 5, 19), **usd))
    latest = cents(billed(AS_OF, AS_OF, **usd))
    week_before = cents(billed(date(2024, 6, 12), date(2024, 6, 12), **usd))
    shown = metrics(app)
    assert shown["Month to date"] == (
        f"${to_date:,.2f}",
        f"{(to_date - same_days) / same_days:+.1%} vs May 1–19",
    )
    assert shown["May 2024"] == (f"${cents(billed(MAY, date(2024, 5, 31), **usd)):,.2f}", None)
    assert shown["Latest day (Wed Jun 19)"] == (
        f"${latest:,.2f}",
        f"{(latest - week_before) / week_before:+.1%} vs a week before",
    )
    assert [caption.value for caption in app.sidebar.caption] == ["Billing data through 2024-06-19"]
    assert app.selectbox(key="costs_currency").options == ["USD", "EUR"]


@pytest.mark.parametrize(
    ("state", "budget_id", "to_date", "forecast"),
    [
        # The GCP project: BigQuery, Compute Engine and Cloud Storage (test_cost_models' hand-worked figures).
        ({"costs_account": [GCP_PROJECT]}, f"account:{GCP_PROJECT}", "$7,211.00", "$10,710.00"),
        ({"costs_provider": ["gcp"]}, f"account:{GCP_PROJECT}", "$7,211.00", "$10,710.00"),
        # identity pays Cloud Storage, 4 a day, and no shared part: its team budget measures the same.
        ({"costs_team": ["identity"]}, "team:identity", "$76.00", "$120.00"),
        ({"costs_project": ["warehouse"]}, "project:warehouse", "$6,660.00", "$9,840.00"),
    ],
)
def test_filters_narrow_the_figures_and_the_forecast_is_the_budgets(
    cost_url, monkeypatch, state, budget_id, to_date, forecast
):
    shown = metrics(run_page(cost_url, "costs", monkeypatch, **state))

    assert shown["Month to date"][0] == to_date
    assert shown["Forecast for June"][0] == forecast == f"${budget_forecast(cost_url, budget_id):,.2f}"


def test_another_currency_is_counted_on_its_own(cost_url, monkeypatch):
    """EUR is the Azure subscription alone, whose account budget forecasts in EUR too."""
    shown = metrics(run_page(cost_url, "costs", monkeypatch, costs_currency="EUR"))

    assert shown["Month to date"][0] == f"€{cents(billed(JUNE, AS_OF, billing_currency='EUR')):,.2f}"
    assert shown["Forecast for June"][0] == f"€{budget_forecast(cost_url, f'account:{SUBSCRIPTION}'):,.2f}"


def test_no_cost_for_the_filters_says_so(cost_url, monkeypatch):
    app = run_page(cost_url, "costs", monkeypatch, costs_currency="EUR", costs_provider=["gcp"])

    assert [info.value for info in app.info] == ["No cost matches these filters."]
    assert not app.metric


@pytest.mark.parametrize(
    ("stack", "groups"),
    [("team", {"data", "identity"}), ("service_name", {"BigQuery", "Compute Engine", "Cloud Storage"})],
)
def test_daily_trend_stacks_by_team_or_service(cost_url, monkeypatch, stack, groups):
    app = run_page(cost_url, "costs", monkeypatch, costs_provider=["gcp"], costs_stack=stack)

    bars = chart_rows(app, "group")
    assert {bar["group"] for bar in bars} == groups
    june_12 = sum(bar["cost"] for bar in bars if bar["charge_day"] == "2024-06-12")
    assert june_12 == 2700 + 25 + 4


def test_top_movers_put_the_spike_week_first(cost_url, monkeypatch):
    """June 13-19 against June 6-12: BigQuery's week without the 2,700 spike is 2,400 cheaper."""
    app = run_page(cost_url, "costs", monkeypatch)

    first = table_with(app, "change").iloc[0]
    assert (first["team"], first["service_name"], first["previous"], first["current"], first["change"]) == (
        "data",
        "BigQuery",
        4020.0,
        1620.0,
        -2400.0,
    )
    assert "Team and service pairs whose cost changed most: Jun 13–19 against Jun 6–12." in captions(app)


def test_billed_cost_counts_the_reservation_fee_on_the_day_it_is_bought(cost_url, monkeypatch):
    """The RDS reservation bills 2,400 on June 1 and 0 a day after; effective cost spreads 80 a day instead."""
    account = "222222222222"
    state = {"costs_account": [account]}
    effective = metrics(run_page(cost_url, "costs", monkeypatch, **state))
    invoiced = metrics(run_page(cost_url, "costs", monkeypatch, costs_measure="billed_cost", **state))

    assert effective["Month to date"][0] == f"${cents(billed(JUNE, AS_OF, sub_account_id=account)):,.2f}"
    assert invoiced["Month to date"][0] == "$2,400.00"
    assert effective["Month to date"][0] == f"${19 * 80:,.2f}"


def test_costs_page_warns_of_refused_billing_and_lists_every_slice(cost_url, monkeypatch):
    app = run_page(cost_url, "costs", monkeypatch)

    assert [warning.value for warning in app.warning] == [
        "2 of 7 billing slices were refused on their latest load; the figures use their last good load, if any. "
        "See Billing data below."
    ]
    slices = table_with(app, "latest_problem")
    refused = slices.head(2)[["slice_key", "latest_problem", "serves_earlier_load"]].to_dict("records")
    assert refused == [
        {"slice_key": UNREADABLE[0], "latest_problem": UNREADABLE[1], "serves_earlier_load": False},
        {"slice_key": f"gcp/{PROVIDERS['gcp'][0]}/2024-06", "latest_problem": REFUSED_GCP_JUNE,
         "serves_earlier_load": True},
    ]
    assert slices["latest_status"].tolist() == ["quarantined"] * 2 + ["loaded"] * 5
    assert slices["latest_warning_count"].tolist() == [0, 0, 0, 0, 0, 1, 0]  # Azure's June, normalised


def test_costs_page_lists_the_conformance_warnings_of_the_latest_loads(cost_url, monkeypatch):
    app = run_page(cost_url, "costs", monkeypatch)

    assert [header.value for header in app.subheader] == ["Conformance warnings"]
    warnings = table_with(app, "first_example")
    assert warnings.drop(columns="first_example").to_dict("records") == [
        {
            "slice_key": f"azure/{PROVIDERS['azure'][0]}/2024-06",
            "severity": "normalised",
            "rule": "allowed_values",
            "column_name": "ChargeCategory",
            "row_count": 3,
            "reason": "ChargeCategory has 3 row(s) in another letter case, loaded as ['Usage']",
        }
    ]
    assert json.loads(warnings["first_example"][0]) == AZURE_JUNE_WARNING["examples"][0]


@pytest.fixture(scope="module")
def no_billing_url(warehouse_url: str) -> str:
    """The cost marts as a build with no billing leaves them: every table there, empty (shaped by the
    contracts, so no second `dbt build` of the project)."""
    url = create_database(warehouse_url, "dbt_no_billing")
    with connect(url) as conn:
        create_marts(conn, "finance")
    return url


def test_costs_page_without_billing_says_what_to_do(no_billing_url, monkeypatch):
    app = run_page(no_billing_url, "costs", monkeypatch)

    assert [info.value for info in app.info] == [NO_BILLING]
    assert not app.metric


# --- Budgets ----------------------------------------------------------------------------------------------


def test_budgets_page_shows_actual_and_forecast_thresholds_crossed(cost_url, monkeypatch):
    app = run_page(cost_url, "budgets", monkeypatch)

    assert {label: value for label, (value, _) in metrics(app).items()} == {
        "Budgets": "4",
        "Over budget": "0",
        "Forecast over budget": "3",
        "Thresholds crossed": "4",
    }
    budgets = table_with(app, "status")
    assert budgets[
        [
            "budget_id",
            "status",
            "actual_percent",
            "actual_thresholds_crossed",
            "forecast_percent",
            "forecast_thresholds_crossed",
        ]
    ].values.tolist()[:3] == [
        ["project:warehouse", "forecast over budget", 83.25, "50 %, 80 %", 123.0, "50 %, 80 %, 100 %"],
        ["team:identity", "forecast over budget", 76.0, "50 %", 120.0, "50 %, 80 %, 100 %"],
        [f"account:{GCP_PROJECT}", "forecast over budget", 72.11, "50 %", 107.1, "50 %, 80 %, 100 %"],
    ]
    subscription = budgets[budgets["budget_id"] == f"account:{SUBSCRIPTION}"].iloc[0]
    assert (subscription["status"], subscription["actual_thresholds_crossed"], subscription["currency"]) == (
        "on track",
        "none",
        "EUR",
    )
    assert "June 2024: 19 of 30 days, through 2024-06-19." in captions(app)


def test_a_past_month_shows_its_final_cost(cost_url, monkeypatch):
    app = run_page(cost_url, "budgets", monkeypatch, budgets_month=MAY)

    budgets = table_with(app, "status").set_index("budget_id")
    # May 6-31: 20 weekdays at 300 and 6 weekend days at 60 of the warehouse's 8,000.
    assert budgets.loc["project:warehouse", ["actual_cost", "forecast_cost", "status"]].tolist() == [
        6360.0,
        6360.0,
        "crossed 50 %",
    ]


# --- Anomalies --------------------------------------------------------------------------------------------


def test_anomalies_page_shows_the_spike_with_its_baseline_and_billing_line(cost_url, monkeypatch):
    app = run_page(cost_url, "anomalies", monkeypatch)

    anomalies = table_with(app, "impact")
    assert anomalies[
        ["charge_day", "team", "service_name", "provider", "effective_cost", "baseline_cost", "impact"]
    ].values.tolist() == [[date(2024, 6, 12), "data", "BigQuery", "gcp", 2700.0, 300.0, 2400.0]]
    assert [rendered_text(subheader.value) for subheader in app.subheader] == [
        "BigQuery for team data on Wednesday 2024-06-12"
    ]
    assert app.markdown[0].value == (
        "Usage cost **$2,700.00** against a baseline of **$300.00**, the median of the Wednesdays in the 28 days "
        "before: **$2,400.00** more (a series that never varies; spread $0.00)."
    )
    days = {row["charge_day"]: row["kind"] for row in chart_rows(app, "kind")}
    assert days["2024-06-12"] == "the anomaly"
    assert sorted(day for day, kind in days.items() if kind == "Wednesdays of the window") == [
        "2024-05-15",
        "2024-05-22",
        "2024-05-29",
        "2024-06-05",
    ]
    lines = table_with(app, "line_item_id")
    assert lines[["line_item_id", "effective_cost"]].values.tolist() == [["gcp-bigquery-2024-06-12", 2700.0]]
    assert "1 billing line: effective cost $2,700.00, billed $2,700.00." in captions(app)


# --- Showback ---------------------------------------------------------------------------------------------


def allocated(currency: str, first: date, last: date) -> Decimal:
    """What allocation adds up to: the billing data per provider and day, rounded to cents (cost_reconciliation)."""
    days = {}
    for record in focus_records():
        day = record["charge_period_start"].date()
        if record["billing_currency"] == currency and first <= day <= last:
            key = (day, record["provider"])
            days[key] = days.get(key, Decimal(0)) + record["effective_cost"]
    return sum(map(cents, days.values()), Decimal(0))


def test_showback_allocates_the_month_to_teams_and_projects(cost_url, monkeypatch):
    app = run_page(cost_url, "showback", monkeypatch)

    assert metrics(app)["Total"][0] == f"${allocated('USD', JUNE, AS_OF):,.2f}"
    table = table_with(app, "total").set_index(["team", "project"])
    assert table.loc[("data", "warehouse"), ["direct", "shared", "total"]].tolist() == [6660.0, 0.0, 6660.0]
    assert table.loc[("identity", "sso"), "total"] == 76.0
    assert {"shared: support", "shared: tax", "shared: network"} <= set(table.columns)
    assert table["shared: support"].sum() == 300.0  # June's Support, split evenly


def showback_selecting(url: str, monkeypatch: pytest.MonkeyPatch, team: str, project: str):
    """The Showback page with the row of ``team`` and ``project`` selected."""
    table = table_with(run_page(url, "showback", monkeypatch), "total")
    row = list(zip(table["team"], table["project"], strict=True)).index((team, project))
    return run_page(url, "showback", monkeypatch, showback_table=selected_row(row))


def test_showback_row_drills_down_to_its_billing_lines(cost_url, monkeypatch):
    app = showback_selecting(cost_url, monkeypatch, "data", "warehouse")

    assert "data / warehouse" in [rendered_text(subheader.value) for subheader in app.subheader]
    assert "No share of any shared pool." in captions(app)
    lines = table_with(app, "line_item_id")
    assert len(lines) == 19 and lines["line_item_id"].iloc[0] == "gcp-bigquery-2024-06-12"
    assert set(lines["service_name"]) == {"BigQuery"}
    assert "19 billing lines: effective cost $6,660.00, billed $6,660.00." in captions(app)


def test_showback_row_lists_its_shares_of_the_pools(cost_url, monkeypatch):
    app = showback_selecting(cost_url, monkeypatch, "payments", "checkout")

    shares = table_with(app, "pool_total").set_index("cost_pool")
    # Support (300 on June 1) went evenly to the four team-projects with direct AWS cost that day.
    assert shares.loc["support", ["amount", "pool_total", "share"]].tolist() == [75.0, 300.0, 25.0]
    lines = table_with(app, "line_item_id")
    assert set(lines["resource_id"]) == {"arn:aws:ec2:us-east-1:111111111111:instance/i-0a1"}
    assert len(lines) == 2 * 19  # two EC2 lines a day


def test_showback_csv_escapes_formula_looking_names(cost_url, monkeypatch):
    """A team and project named like formulas (tags anyone can write) reach the download with an apostrophe."""
    formula = {"day": date(2024, 6, 10), "team": '=HYPERLINK("https://evil.example")', "project": "-1+2"}
    with connect(cost_url) as conn:
        conn.execute(
            """
            INSERT INTO marts.cost_allocation_parts
            VALUES (%(day)s, 'gcp', 'USD', %(team)s, %(project)s, 'direct', 1.00, 1.00, md5('formula')::uuid)
        """,
            formula,
        )
    try:
        app = run_page(cost_url, "showback", monkeypatch)
        expected = showback_csv(
            showback_table(allocation_parts(JUNE, "USD"), "effective_cost"),
            JUNE,
            "USD",
            "effective_cost",
        )
    finally:
        with connect(cost_url) as conn:
            conn.execute("DELETE FROM marts.cost_allocation_parts WHERE team = %(team)s", formula)

    text = expected.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"Team","Project","Direct","Shared: network"')
    assert '"\'=HYPERLINK(""https://evil.example"")","\'-1+2",1.00,' in text
    assert '"data","warehouse",6660.00,0.00,0.00,0.00,0.00,6660.00,' in text
    # The page's download carries exactly these bytes: its media file id is their hash.
    download = app.get("download_button")[0]
    assert download.label == "Download showback (CSV)"
    file_id = _calculate_file_id(expected, "text/csv", "showback-2024-06-USD.csv")
    assert download.proto.url.endswith(f"/{file_id}.csv")
