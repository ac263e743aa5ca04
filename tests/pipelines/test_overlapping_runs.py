"""Two `cloudforge run` at once on one warehouse: the session's demo run, and a second one in a process of its
own started while the first held the run lock. The second is refused at once; nothing is loaded twice."""

from __future__ import annotations

import re

import polars as pl

from assets.billing.alerts import cost_alerts
from cloudforge.settings import load_settings
from cloudforge.warehouse import connect
from demo.billing import expected_billing_totals


def query(demo_run, sql: str) -> list[tuple]:
    with connect(demo_run.url) as conn:
        return conn.execute(sql).fetchall()


def test_the_second_run_is_refused_at_once_naming_the_first(demo_run):
    second = demo_run.overlapping
    assert second is not None, "the first run was never seen holding the run lock"
    assert second.returncode == 1, second.stdout + second.stderr
    [first_id] = re.findall(r"run ([0-9a-f]{8}) succeeded", demo_run.result.output)
    assert re.search(
        rf"another run of the platform is in progress on this warehouse: run {first_id} refresh_everything"
        r" pid \d+ on .+, started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; this run was not started",
        " ".join(second.stderr.split()),
    )
    assert "materialising" not in second.stdout  # refused before any work


def test_billing_is_loaded_once(demo_run):
    """Each slice holds one load's rows, each line item once; the marts add up to the published billing."""
    assert query(demo_run, """
        SELECT count(*) FROM (
            SELECT provider, billing_account_id, billing_period FROM raw_billing.focus_charges
            GROUP BY 1, 2, 3 HAVING count(DISTINCT load_id) > 1 OR count(*) > count(DISTINCT line_item_id)
        ) AS doubled
    """) == [(0,)]
    by_day = "SELECT provider, charge_day, sum(billed_cost) FROM marts.cost_daily GROUP BY 1, 2"
    daily = query(demo_run, by_day)
    assert {(p, day): cost for p, day, cost in daily} == expected_billing_totals(demo_run.billing)


def test_no_slice_failed_and_each_was_loaded_once(demo_run):
    slices = sum(
        frame.select("BillingAccountId", pl.col("BillingPeriodStart").dt.date()).unique().height
        for frame in demo_run.billing.frames.values()
    )
    logged = query(demo_run, "SELECT status, count(*) FROM raw_billing.load_log GROUP BY 1")
    assert logged == [("loaded", slices)]  # a second load of a slice would log again
    assert query(demo_run, "SELECT count(*) FROM raw_aws.sync_errors") == [(0,)]
    assert query(demo_run, "SELECT DISTINCT status FROM raw_aws.sync_slices") == [("ok",)]


def test_the_outbox_holds_one_runs_alerts(demo_run):
    """A trigger for each condition the final marts and findings show, nothing else: budget alerts raised over
    doubled costs, or resolves of them, would be extra rows."""
    outbox = query(demo_run, "SELECT source, dedup_key, action FROM alerts.outbox")
    with connect(demo_run.url) as conn:
        holding = [alert.dedup_key for alert in cost_alerts(conn, load_settings().costs)
                   if alert.action == "trigger"]
    findings = query(demo_run, """
        SELECT 'policy:' || policy_id || ':' || resource_key FROM raw_policies.findings
        WHERE status = 'open' AND severity IN ('critical', 'high')
    """)
    policy_keys = sorted(key for source, key, _ in outbox if source == "policy_finding")
    cost_keys = sorted(key for source, key, _ in outbox if source in ("budget", "cost_anomaly"))
    assert (policy_keys, cost_keys) == (sorted(key for key, in findings), sorted(holding))
    # drift, metric rule and freshness alerts have exact tests of their own (test_drift_end_to_end and
    # test_metrics_end_to_end); here: no other source, and no alert twice
    assert {source for source, *_ in outbox} <= {"policy_finding", "budget", "cost_anomaly", "drift", "metric_rule",
                                                 "freshness"}
    assert len({key for _, key, _ in outbox}) == len(outbox)
    assert {action for *_, action in outbox} == {"trigger"}
