"""The FinOps pages' pure parts: CSV escaping, money on screen, the headline figures and the top movers (the
forecast is the cost_forecast mart's, unit-tested in dbt). The pages themselves run against built cost marts in
tests/dbt/test_cost_dashboards.py (hand-built billing) and tests/pipelines/test_cost_dashboards_demo.py (the demo run)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest

from dashboards.export import csv_bytes, escape_cell
from dashboards.finance.calculations import cost_summary, top_movers
from dashboards.finance.charts import money


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ('=HYPERLINK("https://evil.example")', '\'=HYPERLINK("https://evil.example")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("payments", "payments"),
        ("a=b", "a=b"),
        ("", ""),
        (Decimal("-50.00"), Decimal("-50.00")),
        (3, 3),
    ],
)
def test_escape_cell_defuses_text_that_starts_like_a_formula(value, escaped):
    assert escape_cell(value) == escaped


def test_csv_quotes_and_escapes_text_and_keeps_numbers_exact():
    frame = pd.DataFrame(
        {
            "team": ["=cmd|' /C calc'!A0", 'say "hi"', None],
            "total": [Decimal("1234.5600000000"), Decimal("-50.00"), Decimal(0)],
            "day": [date(2024, 6, 1)] * 3,
        }
    )

    data = csv_bytes(frame, {"team": "Team", "total": "-Total", "day": "Day"})

    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    assert data.decode("utf-8-sig") == (
        '"Team","\'-Total","Day"\r\n'
        '"\'=cmd|\' /C calc\'!A0",1234.5600000000,"2024-06-01"\r\n'
        '"say ""hi""",-50.00,"2024-06-01"\r\n'
        '"",0,"2024-06-01"\r\n'
    )
    # A spreadsheet's CSV reader gets the text back with its apostrophe, and the numbers as numbers.
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("1234.5"), "USD", "$1,234.50"),
        (Decimal(-12), "EUR", "-€12.00"),
        (Decimal("0.005"), "GBP", "£0.01"),
        (Decimal("-0.004"), "USD", "$0.00"),
        (Decimal("9876543.21"), "CHF", "9,876,543.21 CHF"),
        (Decimal(1), "*X*", r"1.00 \*X\*"),  # the currency comes from the billing data, shown as Markdown
    ],
)
def test_money_shows_the_currency_and_two_decimals(amount, currency, text):
    assert money(amount, currency) == text


def series(first: date, last: date, weekday: str, weekend: str) -> dict[date, Decimal]:
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return {day: Decimal(weekend if day.isoweekday() >= 6 else weekday) for day in days}


def test_month_to_date_is_rounded_to_cents_once():
    totals = series(date(2024, 4, 1), date(2024, 4, 30), "10.005", "1")

    summary = cost_summary(totals, date(2024, 4, 30))

    assert summary.month_to_date == Decimal("220.11") + 8  # 22 weekdays, 8 weekend days


def test_summary_compares_with_the_same_days_of_a_shorter_previous_month():
    """March 31st against February 1-29 (2024 is a leap year); the latest day against the week before."""
    totals = series(date(2024, 2, 1), date(2024, 3, 31), "2", "1")

    summary = cost_summary(totals, date(2024, 3, 31))

    assert (summary.previous_month_to_date, summary.previous_month) == (Decimal(21 * 2 + 8), Decimal(50))
    assert (summary.latest_day, summary.week_before) == (Decimal(1), Decimal(1))  # Sundays


def test_top_movers_rank_by_absolute_change_and_skip_the_unchanged():
    as_of = date(2024, 6, 14)
    rows = [
        (as_of - timedelta(days=8), "data", "BigQuery", Decimal("100.004")),
        (as_of, "data", "BigQuery", Decimal(10)),
        (as_of, "web", "EC2", Decimal(50)),
        (as_of - timedelta(days=3), "web", "S3", Decimal(5)),
        (as_of - timedelta(days=10), "web", "S3", Decimal(5)),
        (as_of - timedelta(days=20), "web", "RDS", Decimal(500)),  # before both weeks
    ]
    daily = pd.DataFrame(rows, columns=["charge_day", "team", "service_name", "effective_cost"])

    movers = top_movers(daily, as_of, "effective_cost")

    assert movers.drop(columns="change_ratio").to_dict("records") == [
        {
            "team": "data",
            "service_name": "BigQuery",
            "previous": Decimal("100.00"),
            "current": Decimal("10.00"),
            "change": Decimal("-90.00"),
        },
        {
            "team": "web",
            "service_name": "EC2",
            "previous": Decimal(0),
            "current": Decimal("50.00"),
            "change": Decimal("50.00"),
        },
    ]
    assert movers["change_ratio"].iloc[0] == -0.9 and pd.isna(
        movers["change_ratio"].iloc[1]
    )  # none from zero
