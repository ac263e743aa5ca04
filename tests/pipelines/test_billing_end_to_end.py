"""`cloudforge run` on the demo loads the demo billing of all three providers, as the generator made it."""

from __future__ import annotations

import statistics
from datetime import timedelta

import polars as pl

from cloudforge.warehouse import connect
from demo.billing import INJECTED_SPIKE, expected_billing_totals


def query(demo_run, sql: str, params: tuple = ()) -> list[tuple]:
    with connect(demo_run.url) as conn:
        return conn.execute(sql, params).fetchall()


def test_every_provider_and_period_loads_to_the_cent(demo_run):
    """Rows and sums per (provider, billing period) equal the generator's, exactly; nothing was refused."""
    loaded = query(
        demo_run,
        "SELECT provider, billing_period, count(*), sum(billed_cost), sum(effective_cost)"
        " FROM raw_billing.focus_charges GROUP BY 1, 2",
    )
    billing = demo_run.billing
    billed = expected_billing_totals(billing, period="month")
    effective = expected_billing_totals(billing, period="month", cost="EffectiveCost")
    rows = {
        (provider, period): n
        for provider, frame in billing.frames.items()
        for period, n in frame.group_by(pl.col("BillingPeriodStart").dt.date()).len().iter_rows()
    }
    assert {(p, d): (n, b, e) for p, d, n, b, e in loaded} == {
        key: (rows[key], billed[key], effective[key]) for key in billed
    }
    assert {p for p, *_ in loaded} == {"aws", "azure", "gcp"}
    assert query(demo_run, "SELECT count(*) FROM raw_billing.load_log WHERE status <> 'loaded'") == [(0,)]
    assert query(demo_run, "SELECT count(*) FROM raw_billing.load_log WHERE warnings <> '[]'") == [(0,)]


def test_daily_billed_cost_matches_per_provider(demo_run):
    daily = query(
        demo_run,
        "SELECT provider, (charge_period_start AT TIME ZONE 'UTC')::date, sum(billed_cost)"
        " FROM raw_billing.focus_charges GROUP BY 1, 2",
    )
    assert {(p, d): c for p, d, c in daily} == expected_billing_totals(demo_run.billing)


def test_every_aws_usage_row_names_an_inventoried_resource(demo_run):
    """By ARN, as in AWS FOCUS exports; usage without a resource is the shared data transfer and Support,
    and the Savings Plan's unused commitment is charged to the plan."""
    usage = query(
        demo_run,
        "SELECT charges.resource_id IS NULL, charges.service_name, charges.commitment_discount_status,"
        " resources.resource_key IS NOT NULL, count(*)"
        " FROM raw_billing.focus_charges AS charges"
        " LEFT JOIN marts.resources AS resources ON resources.arn = charges.resource_id"
        " WHERE charges.provider = 'aws' AND charges.charge_category = 'Usage'"
        " GROUP BY 1, 2, 3, 4",
    )
    unmatched = {(service, status) for no_id, service, status, found, _ in usage if not no_id and not found}
    assert unmatched == {("Savings Plans for AWS Compute usage", "Unused")}
    without_resource = {service for no_id, service, *_ in usage if no_id}
    assert without_resource == {"AWS Data Transfer", "AWS Support (Business)"}
    resourced = demo_run.billing.frames["aws"].filter(
        (pl.col("ChargeCategory") == "Usage")
        & pl.col("ResourceId").is_not_null()
        & pl.col("CommitmentDiscountStatus").ne_missing(pl.lit("Unused"))
    )
    assert sum(n for *_, found, n in usage if found) == resourced.height


def test_billed_and_effective_cost_differ_by_the_purchases_less_the_savings_plan_amortisation(demo_run):
    """Purchases bill ahead with EffectiveCost 0; the Savings Plan's covered usage is effective, not billed."""
    plan = demo_run.billing.savings_plan
    aws = demo_run.billing.frames["aws"]
    paid_ahead = aws.filter(pl.col("ChargeCategory") == "Purchase").get_column("BilledCost").sum()
    [(difference,)] = query(
        demo_run,
        "SELECT sum(billed_cost - effective_cost) FROM raw_billing.focus_charges WHERE provider = 'aws'",
    )
    assert difference == paid_ahead - plan.daily * plan.amortised_days(demo_run.billing.end)


def test_the_injected_spike_is_in_the_loaded_data(demo_run):
    """The data team's BigQuery cost on the spike day against the other weekdays of its last four weeks."""
    spike = INJECTED_SPIKE
    daily = dict(
        query(
            demo_run,
            "SELECT (charge_period_start AT TIME ZONE 'UTC')::date, sum(effective_cost)"
            " FROM raw_billing.focus_charges"
            " WHERE provider = %s AND service_name = %s AND tags ->> 'team' = %s GROUP BY 1",
            (spike.provider, spike.service, spike.team),
        )
    )
    day = demo_run.billing.spike_day
    weekdays = [d for d in (day - timedelta(days=n) for n in range(1, 29)) if d.weekday() < 5]
    baseline = statistics.median(daily[d] for d in weekdays)
    assert 5 <= daily[day] / baseline <= 7
