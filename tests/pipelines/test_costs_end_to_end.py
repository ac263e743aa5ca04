"""`cloudforge run` on the demo: the cost marts over the demo billing, and the cost alerts they raise."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from click.testing import CliRunner
from support.replay import Exchange, ReplayServer

from cloudforge.cli.alerts import alerts as alerts_command
from cloudforge.settings import DEMO_ACCOUNTS, demo_budgets
from cloudforge.warehouse import connect
from demo.billing import INJECTED_SPIKE, DemoBilling

SLACK_PATH = "/services/T0DEMO/B0COSTS/d3moS3cret"
COST_ALERTS = "SELECT dedup_key, action FROM alerts.outbox WHERE source IN ('budget', 'cost_anomaly')"


def query(demo_run, sql: str, params: tuple = ()) -> list[tuple]:
    with connect(demo_run.url) as conn:
        return conn.execute(sql, params).fetchall()


def test_allocation_reconciles_every_provider_and_day(demo_run):
    [(days, differences)] = query(demo_run, """
        SELECT count(*), count(*) FILTER (WHERE billed_difference <> 0 OR effective_difference <> 0)
        FROM marts.cost_reconciliation
    """)
    assert (days, differences) == (3 * demo_run.billing.days, 0)


def test_aws_lines_about_resources_take_the_inventory_tags(demo_run):
    """Every AWS line naming a resource finds it in the inventory by ARN (the Savings Plan's unused commitment
    names the plan), and takes that resource's normalised team."""
    lines = query(demo_run, """
        SELECT daily.service_name, daily.resource_key IS NOT NULL,
               daily.team IS NOT DISTINCT FROM resources.team
        FROM marts.cost_daily AS daily
        LEFT JOIN marts.resources AS resources ON resources.resource_key = daily.resource_key
        WHERE daily.provider = 'aws' AND daily.resource_id IS NOT NULL AND daily.charge_category = 'Usage'
    """)
    assert {service for service, found, _ in lines if not found} == {"Savings Plans for AWS Compute usage"}
    assert all(same for _, found, same in lines if found)


def test_the_injected_spike_is_the_only_anomaly(demo_run):
    spike = INJECTED_SPIKE
    anomalies = query(demo_run, "SELECT charge_day, provider, team, service_name FROM marts.cost_anomalies")
    assert anomalies == [(demo_run.billing.spike_day, spike.provider, spike.team, spike.service)]


def month_to_date(billing: DemoBilling, sub_account_id: str) -> tuple[date, Decimal]:
    """The last billed day, and a sub account's effective cost from the first of its month through it, summed
    from the generated charges: what the account's budget counts."""
    as_of = billing.end - timedelta(days=1)
    costs = [
        cost
        for frame in billing.frames.values()
        for cost in frame.filter(
            (pl.col("SubAccountId") == sub_account_id)
            & pl.col("ChargePeriodStart").dt.date().is_between(as_of.replace(day=1), as_of)
        )["EffectiveCost"]
    ]
    return as_of, sum(costs, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_the_current_budget_month_is_the_month_of_the_last_billed_day(demo_run, clock):
    """Billing runs through yesterday: on the 1st the current month is the one just over, complete."""
    yesterday = clock.today() - timedelta(days=1)
    assert demo_run.billing.end == clock.today()
    assert query(demo_run, "SELECT DISTINCT budget_month, through_day, days_elapsed, days_in_month"
                           " FROM marts.budget_status WHERE is_current_month") == [
        (yesterday.replace(day=1), yesterday, yesterday.day,
         ((yesterday.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)).day)
    ]


def test_budget_crossings_and_the_spike_are_in_the_alerts_outbox_once(demo_run):
    """The data team's default budget (3,500 a month) is below its run rate: its forecast crosses 100 %."""
    [(month,)] = query(demo_run,
                       "SELECT DISTINCT budget_month FROM marts.budget_status WHERE is_current_month")
    keys = [key for key, action in query(demo_run, COST_ALERTS) if action == "trigger"]
    assert len(keys) == len(set(keys))
    data = f"budget:team:data:{month:%Y-%m}:100"
    assert {f"{data}:actual", f"{data}:forecast"} & set(keys)
    spike = INJECTED_SPIKE
    assert f"anomaly:{spike.team}:{spike.service}:{demo_run.billing.spike_day:%Y-%m-%d}" in keys


def test_each_cost_alert_reaches_a_local_slack_receiver_exactly_once(demo_run, monkeypatch):
    """What the run put in the outbox, delivered by `cloudforge alerts deliver` as the sensor would; a second
    pass (a restarted sensor) sends nothing."""
    outbox = [key for key, _ in query(demo_run, COST_ALERTS)]
    [(pending,)] = query(demo_run, "SELECT count(*) FROM alerts.outbox")
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", demo_run.url)
    with ReplayServer([Exchange("POST", SLACK_PATH, 200, "ok") for _ in range(pending)]) as receiver:
        monkeypatch.setenv("CLOUDFORGE_ALERTS__SLACK_WEBHOOK_URL", receiver.url + SLACK_PATH)
        first = CliRunner().invoke(alerts_command, ["deliver"])
        again = CliRunner().invoke(alerts_command, ["deliver"])

    assert first.output == f"alerts: delivered {pending}, retried 0, failed 0\n"
    assert again.output == "alerts: delivered 0, retried 0, failed 0\n"
    delivered = [r.body["blocks"][-1]["elements"][0]["text"].split(" · ", 1)[1] for r in receiver.received]
    cost_alerts = [key for key in delivered if key in outbox]
    assert sorted(cost_alerts) == sorted(outbox)  # each once
    reached = query(demo_run, "SELECT budget_scope, budget_name, budget_month, threshold"
                              " FROM marts.budget_status, unnest(actual_thresholds_crossed) AS threshold"
                              " WHERE is_current_month")
    expected = {f"budget:{scope}:{name}:{month:%Y-%m}:{limit}:actual"
                for scope, name, month, limit in reached}
    assert expected <= set(cost_alerts)
    # The shared-services account's budget counts its own charges only: its crossings follow from the billing.
    [budget] = [b for b in demo_budgets() if b.scope == "account"]
    as_of, spent = month_to_date(demo_run.billing, budget.name)
    crossed = [t for t in budget.thresholds if spent >= budget.monthly_amount * t / 100]
    assert budget.name == DEMO_ACCOUNTS[2]
    assert query(demo_run, "SELECT actual_cost, actual_thresholds_crossed FROM marts.budget_status"
                           " WHERE budget_id = %s AND is_current_month", (f"account:{budget.name}",)) == [
        (spent, crossed)
    ]
    account_alerts = {key for key in cost_alerts if key.startswith(f"budget:account:{budget.name}:")}
    assert {key for key in account_alerts if key.endswith(":actual")} == {
        f"budget:account:{budget.name}:{as_of:%Y-%m}:{threshold}:actual" for threshold in crossed
    }
