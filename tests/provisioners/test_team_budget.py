"""The provisioner's budget query (``team_budget``) against ``marts.budget_status`` built from the dbt contract."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from cloudforge.warehouse import connect, create_database
from provisioners.service import Budget, team_budget
from support.marts import create_marts, insert

_numbers = itertools.count()


def budget_row(scope: str, name: str, month: date, current: bool, amount: str, forecast: str) -> dict:
    """A budget_status row; only the columns team_budget reads vary, the rest satisfy the contract."""
    return {
        "budget_id": f"{scope}:{name}", "budget_scope": scope, "budget_name": name, "currency": "USD",
        "budget_month": month, "is_current_month": current, "through_day": month, "days_in_month": 30,
        "days_elapsed": 1, "remaining_weekdays": 21, "remaining_weekend_days": 8,
        "monthly_amount": Decimal(amount), "thresholds": [80, 100], "actual_cost": Decimal("1.00"),
        "weekday_daily_average": Decimal("1.00"), "weekend_daily_average": Decimal("0.50"),
        "forecast_cost": Decimal(forecast), "actual_percent": Decimal("0.10"), "forecast_percent": Decimal("1.00"),
        "actual_thresholds_crossed": [], "forecast_thresholds_crossed": [],
    }  # fmt: skip


@pytest.fixture
def marts_conn(warehouse_url: str):
    url = create_database(warehouse_url, f"budget_{next(_numbers)}")
    with connect(url, autocommit=True) as conn:
        yield conn


def test_team_budget_is_the_teams_current_month(marts_conn) -> None:
    create_marts(marts_conn, "finance")
    insert(marts_conn, "budget_status", [
        budget_row("team", "payments", date(2026, 10, 1), False, "900.00", "850.00"),
        budget_row("team", "payments", date(2026, 11, 1), True, "1000.00", "640.50"),
        budget_row("project", "payments", date(2026, 11, 1), True, "50.00", "49.00"),
        budget_row("team", "search", date(2026, 11, 1), True, "300.00", "310.00"),
    ])  # fmt: skip

    assert team_budget(marts_conn, "Payments") == Budget("team:payments", Decimal("1000.00"), Decimal("640.50"))
    assert team_budget(marts_conn, "search") == Budget("team:search", Decimal("300.00"), Decimal("310.00"))
    assert team_budget(marts_conn, "billing") is None


def test_team_budget_before_the_first_run_is_none(marts_conn) -> None:
    assert team_budget(marts_conn, "payments") is None
