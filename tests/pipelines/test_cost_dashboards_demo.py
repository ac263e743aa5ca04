"""The FinOps pages on the demo, after the real `cloudforge run` (the session's `demo_run`): month to date as of
the demo billing's last day, and the injected spike with its baseline and billing lines, checked against the
charges the demo generated."""

from __future__ import annotations

import json
import statistics
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from support.literal import rendered_text
from support.pages import captions, metrics, run_page, table_with

from cloudforge.warehouse import connect
from demo.billing import INJECTED_SPIKE, expected_billing_totals


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_costs_page_counts_the_month_to_date_as_of_the_last_billed_day(demo_run, monkeypatch):
    billing = demo_run.billing
    as_of = billing.end - timedelta(days=1)
    totals = expected_billing_totals(billing, "day", "EffectiveCost")

    app = run_page(demo_run.url, "costs", monkeypatch)

    to_date = sum(cost for (_, day), cost in totals.items() if as_of.replace(day=1) <= day <= as_of)
    assert metrics(app)["Month to date"][0] == f"${cents(to_date):,.2f}"
    assert [caption.value for caption in app.sidebar.caption] == [f"Billing data through {as_of:%Y-%m-%d}"]


def test_an_account_forecast_is_its_budgets(demo_run, monkeypatch):
    with connect(demo_run.url) as conn:
        [(account, forecast)] = conn.execute("""
            SELECT budget_name, forecast_cost FROM marts.budget_status
            WHERE budget_scope = 'account' AND is_current_month
        """).fetchall()

    shown = metrics(run_page(demo_run.url, "costs", monkeypatch, costs_account=[account]))

    [label] = [label for label in shown if label.startswith("Forecast for ")]
    assert shown[label][0] == f"${forecast:,.2f}"


def spike_lines(billing) -> pl.DataFrame:
    """The generated usage lines of the spiking team's service, with their day."""
    frame = billing.frames[INJECTED_SPIKE.provider]
    team = frame["Tags"].map_elements(
        lambda tags: json.loads(tags).get("team") if tags else None, return_dtype=pl.String
    )
    return frame.with_columns(team=team, day=pl.col("ChargePeriodStart").dt.date()).filter(
        (pl.col("ServiceName") == INJECTED_SPIKE.service)
        & (pl.col("team") == INJECTED_SPIKE.team)
        & (pl.col("ChargeCategory") == "Usage")
    )


def test_anomalies_page_lists_the_injected_spike_with_its_baseline_and_lines(demo_run, monkeypatch):
    spike, day = INJECTED_SPIKE, demo_run.billing.spike_day
    lines = spike_lines(demo_run.billing)
    daily = {
        d: sum(costs, Decimal(0))
        for d, costs in lines.group_by("day").agg(pl.col("EffectiveCost")).iter_rows()
    }
    baseline = statistics.median(daily[day - timedelta(days=7 * weeks)] for weeks in range(1, 5))

    app = run_page(demo_run.url, "anomalies", monkeypatch)

    anomalies = table_with(app, "impact")
    assert anomalies[["charge_day", "provider", "team", "service_name"]].values.tolist() == [
        [day, spike.provider, spike.team, spike.service]
    ]
    assert anomalies[["effective_cost", "baseline_cost"]].values.tolist() == [
        [float(cents(daily[day])), float(cents(baseline))]
    ]
    assert [rendered_text(subheader.value) for subheader in app.subheader] == [
        f"{spike.service} for team {spike.team} on {day:%A} {day:%Y-%m-%d}"
    ]
    assert f"against a baseline of **${cents(baseline):,.2f}**" in app.markdown[0].value
    on_the_day = lines.filter(pl.col("day") == day)
    shown = table_with(app, "line_item_id")
    assert sorted(zip(shown["resource_id"], shown["effective_cost"])) == sorted(
        (resource, float(cost))
        for resource, cost in on_the_day.select("ResourceId", "EffectiveCost").iter_rows()
    )
    count = f"{len(on_the_day)} billing line{'' if len(on_the_day) == 1 else 's'}"
    assert (
        f"{count}: effective cost ${cents(daily[day]):,.2f}, billed ${cents(daily[day]):,.2f}."
        in captions(app)
    )
