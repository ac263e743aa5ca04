"""The cost marts after one `dbt build` over the hand-built inventory and FOCUS billing (dbt_raw_billing).

Expectations are worked out by hand from the rules in dbt_raw_billing's docstring and its COSTS config.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import yaml
from dagster import AssetKey, AssetSelection
from dbt_raw_billing import (
    BUMP_DAY,
    COSTS,
    FIRST_DAY,
    GCP_PROJECT,
    LAST_DAY,
    PROVIDERS,
    REFUSED_GCP_JUNE,
    SUBSCRIPTION,
    UNREADABLE,
    days,
    focus_records,
    load_id,
    vm_cost,
)
from dbt_raw_inventory import A, B

from assets.billing.alerts import cost_alerts
from cloudforge.alerts.outbox import Alert, enqueue_alerts
from cloudforge.settings import CostSettings, load_settings
from cloudforge.warehouse import connect
from pipelines.dbt import DBT_PROJECT_DIR, dbt_resource

CENT = Decimal("0.01")
AS_OF = datetime.combine(LAST_DAY + timedelta(days=1), time(6), UTC)  # the morning after the last billed day
SETTINGS = load_settings(costs=COSTS).costs


def rows(url: str, query: str, *params: object) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute(query, params or None).fetchall()


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def test_the_build_passes_every_model_and_test(cost_build):
    assert cost_build.result.success
    checks = {(c.asset_key.path[-1], c.check_name): c.passed for c in cost_build.result.get_asset_check_evaluations()}
    assert all(checks.values())
    assert ("cost_reconciliation", "assert_cost_allocation_reconciles") in checks  # the dbt reconciliation test


def test_dbt_project_defaults_match_the_settings_defaults():
    """`dbt build` by hand gets the same config as `cloudforge` with default settings."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert project["vars"]["costs"] == CostSettings().model_dump(mode="json")


def test_cost_alerts_run_after_the_cost_marts():
    from pipelines.definitions import build_definitions

    graph = build_definitions(load_settings()).resolve_asset_graph()
    alerts = AssetKey(["alerts", "cost_alerts"])
    assert AssetSelection.assets(alerts).upstream(depth=1).resolve(graph) == {
        alerts, AssetKey(["marts", "budget_status"]), AssetKey(["marts", "cost_anomalies"])
    }


def test_known_resources_take_inventory_tags_other_lines_their_own(cost_url):
    attribution = rows(cost_url, """
        SELECT DISTINCT provider, service_name, resource_key, team, project, env FROM marts.cost_daily
        WHERE charge_category = 'Usage'
    """)
    assert set(attribution) == {
        # i-0a1 by ARN: the inventory's tags, not the line's team=search
        ("aws", "Amazon Elastic Compute Cloud", f"aws/{A}/us-east-1/ec2_instance/i-0a1", "payments", "checkout",
         "prod"),
        # vol-1 by resource id within its account
        ("aws", "Amazon Elastic Compute Cloud", f"aws/{A}/us-east-1/ebs_volume/vol-1", "data", None, "staging"),
        ("aws", "Amazon Relational Database Service", f"aws/{B}/eu-west-1/rds_instance/orders-db", "payments",
         "orders", "prod"),
        ("aws", "AWS Lambda", None, "data", "etl", None),
        ("aws", "Amazon Virtual Private Cloud", None, None, None, None),
        # Application -> project, Environment -> env; ' TEAM ' -> team; squad/app/stage -> team/project/env
        ("azure", "Virtual Machines", None, None, "indexer", "prod"),
        ("azure", "Virtual Network", None, None, None, None),
        ("azure", "Storage", None, "search", "query-api", "prod"),
        ("gcp", "BigQuery", None, "data", "warehouse", "prod"),
        ("gcp", "Compute Engine", None, None, None, None),
        ("gcp", "Cloud Storage", None, "identity", "sso", "prod"),
    }


def test_cost_daily_sums_lines_per_grain_and_keeps_every_cent(cost_url):
    [(count, lines, billed, effective)] = rows(cost_url, """
        SELECT count(*), sum(line_item_count), sum(billed_cost), sum(effective_cost) FROM marts.cost_daily
    """)
    raw = focus_records()
    assert count == len(raw) - len(days())  # the two EC2 lines of a day are one row
    assert lines == len(raw)
    assert billed == sum(record["billed_cost"] for record in raw)
    assert effective == sum(record["effective_cost"] for record in raw)
    [ec2] = rows(cost_url, """
        SELECT line_item_count, billed_cost FROM marts.cost_daily
        WHERE charge_day = '2024-06-03' AND resource_key LIKE '%i-0a1'
    """)
    assert ec2 == (2, Decimal(120))


# (team, project, part) -> (billed, effective) in cents, AWS on Saturday 2024-06-01: direct costs, Support 300
# split evenly in four, tax 10 split by direct effective cost (48 : 80 : 3.2 : 0.1034567891), the NAT's 30.004
# 60/40. Rounded down, the parts miss 3 cents of the day's 2,791.31 billed (471.31 effective); they go to the
# largest remainders: the tax shares of data/etl (0.0079), payments/checkout (3.6557) and data/unallocated
# (0.2437); data/etl's direct 0.1035 and the NAT's 0.0024 and 0.0016 round down.
JUNE_1_AWS = {
    ("data", "etl", "direct"): ("0.10", "0.10"),
    ("data", "etl", "support"): ("75.00", "75.00"),
    ("data", "etl", "tax"): ("0.01", "0.01"),
    ("data", "unallocated", "direct"): ("3.20", "3.20"),
    ("data", "unallocated", "support"): ("75.00", "75.00"),
    ("data", "unallocated", "tax"): ("0.25", "0.25"),
    ("payments", "checkout", "direct"): ("48.00", "48.00"),
    ("payments", "checkout", "support"): ("75.00", "75.00"),
    ("payments", "checkout", "tax"): ("3.66", "3.66"),
    ("payments", "orders", "direct"): ("2400.00", "80.00"),  # the reservation fee (account default) + its usage
    ("payments", "orders", "support"): ("75.00", "75.00"),
    ("payments", "orders", "tax"): ("6.09", "6.09"),
    ("payments", "unallocated", "network"): ("12.00", "12.00"),
    ("platform", "network", "network"): ("18.00", "18.00"),
}
# Monday 2024-06-03: no Support; the credit of -50 has no owner; tax by 120 : 80 : 3.2 : 0.1034567891, whose
# remainders 0.7400 (data), 0.5088 (data/etl) and 0.5004 (payments/orders) take the 3 cents left of 113.31.
JUNE_3_AWS = {
    ("data", "etl", "direct"): ("0.10", "0.10"),
    ("data", "etl", "tax"): ("0.01", "0.01"),
    ("data", "unallocated", "direct"): ("3.20", "3.20"),
    ("data", "unallocated", "tax"): ("0.16", "0.16"),
    ("payments", "checkout", "direct"): ("120.00", "120.00"),
    ("payments", "checkout", "tax"): ("5.90", "5.90"),
    ("payments", "orders", "direct"): ("0.00", "80.00"),
    ("payments", "orders", "tax"): ("3.94", "3.94"),
    ("payments", "unallocated", "network"): ("12.00", "12.00"),
    ("platform", "network", "network"): ("18.00", "18.00"),
    ("unallocated", "unallocated", "direct"): ("-50.00", "-50.00"),
}


def allocation_parts(url: str, day: str, provider: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {
        (team, project, pool): (str(billed), str(effective))
        for team, project, pool, billed, effective in rows(url, """
            SELECT team, project, cost_pool, billed_cost, effective_cost FROM marts.cost_allocation_parts
            WHERE charge_day = %s AND provider = %s
        """, day, provider)
    }


def test_allocation_parts_to_the_cent_with_shared_pools(cost_url):
    assert allocation_parts(cost_url, "2024-06-01", "aws") == JUNE_1_AWS
    assert allocation_parts(cost_url, "2024-06-03", "aws") == JUNE_3_AWS


def test_azure_allocation_uses_the_tag_rule_and_the_fixed_network_shares(cost_url):
    vm = vm_cost(date(2024, 6, 3))
    assert allocation_parts(cost_url, "2024-06-03", "azure") == {
        ("search", "indexer", "direct"): (f"{vm:.2f}", f"{vm:.2f}"),  # team from the rule project indexer
        ("search", "query-api", "direct"): ("15.00", "15.00"),
        ("platform", "network", "network"): ("7.20", "7.20"),
        ("payments", "unallocated", "network"): ("4.80", "4.80"),
    }


def test_cost_allocation_shows_direct_and_shared_and_keeps_unallocated(cost_url):
    allocation = {
        (team, project): tuple(amounts) for team, project, *amounts in rows(cost_url, """
            SELECT team, project, direct_billed_cost, shared_billed_cost, billed_cost, direct_effective_cost,
                   shared_effective_cost, effective_cost
            FROM marts.cost_allocation WHERE charge_day = '2024-06-03' AND provider = 'aws'
        """)
    }
    d = Decimal
    assert allocation == {
        ("data", "etl"): (d("0.10"), d("0.01"), d("0.11"), d("0.10"), d("0.01"), d("0.11")),
        ("data", "unallocated"): (d("3.20"), d("0.16"), d("3.36"), d("3.20"), d("0.16"), d("3.36")),
        ("payments", "checkout"): (d("120.00"), d("5.90"), d("125.90"), d("120.00"), d("5.90"), d("125.90")),
        ("payments", "orders"): (d("0.00"), d("3.94"), d("3.94"), d("80.00"), d("3.94"), d("83.94")),
        ("payments", "unallocated"): (d("0.00"), d("12.00"), d("12.00"), d("0.00"), d("12.00"), d("12.00")),
        ("platform", "network"): (d("0.00"), d("18.00"), d("18.00"), d("0.00"), d("18.00"), d("18.00")),
        ("unallocated", "unallocated"): (d("-50.00"), d("0.00"), d("-50.00"), d("-50.00"), d("0.00"),
                                         d("-50.00")),
    }


def test_allocation_equals_billing_per_provider_and_day_to_the_cent(cost_url):
    billed: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    effective: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    for record in focus_records():
        key = record["charge_period_start"].date(), record["provider"]
        billed[key] += record["billed_cost"]
        effective[key] += record["effective_cost"]
    allocated = {
        (day, provider): (b, e) for day, provider, b, e in rows(cost_url, """
            SELECT charge_day, provider, sum(billed_cost), sum(effective_cost) FROM marts.cost_allocation
            GROUP BY charge_day, provider
        """)
    }
    assert allocated == {key: (cents(billed[key]), cents(effective[key])) for key in billed}
    assert len(allocated) == 3 * len(days())
    assert rows(cost_url, """
        SELECT count(*) FROM marts.cost_reconciliation WHERE billed_difference <> 0 OR effective_difference <> 0
    """) == [(0,)]


def test_the_reconciliation_test_fails_when_allocation_loses_a_cent(cost_url):
    """Break one allocated row: the dbt test fails and cost_reconciliation shows the day; then mend it."""
    breaks = """
        UPDATE marts.cost_allocation SET billed_cost = billed_cost + %s
        WHERE charge_day = '2024-06-03' AND provider = 'gcp' AND team = 'identity'
    """
    with connect(cost_url) as conn:
        conn.execute(breaks, (Decimal("-0.01"),))
    try:
        test = ["test", "--select", "assert_cost_allocation_reconciles"]
        broken = dbt_resource(cost_url).cli(test, raise_on_error=False).wait()
        [result] = broken.get_artifact("run_results.json")["results"]
        assert (result["status"], result["failures"]) == ("fail", 1)
        assert rows(cost_url, """
            SELECT charge_day, provider, billed_cost, allocated_billed_cost, billed_difference
            FROM marts.cost_reconciliation WHERE billed_difference <> 0
        """) == [(date(2024, 6, 3), "gcp", Decimal("329.00"), Decimal("328.99"), Decimal("-0.01"))]
    finally:
        with connect(cost_url) as conn:
            conn.execute(breaks, (Decimal("0.01"),))
    assert rows(cost_url, "SELECT count(*) FROM marts.cost_reconciliation WHERE billed_difference <> 0") == [(0,)]


def budget_rows(url: str) -> dict[str, tuple]:
    return {
        budget_id: tuple(values) for budget_id, *values in rows(url, """
            SELECT budget_id, through_day, remaining_weekdays, remaining_weekend_days, actual_cost,
                   weekday_daily_average, weekend_daily_average, forecast_cost, actual_percent, forecast_percent,
                   actual_thresholds_crossed, forecast_thresholds_crossed
            FROM marts.budget_status WHERE is_current_month
        """)
    }


def test_budget_forecasts_project_weekdays_and_weekend_days_apart(cost_url):
    """June 2024 as of Wednesday the 19th: 13 weekdays and 6 weekend days spent, 7 and 4 to go; the trailing
    28 days (May 23 - June 19) hold 20 weekdays and 8 weekend days."""
    d = Decimal
    budgets = budget_rows(cost_url)
    through = date(2024, 6, 19)
    # BigQuery: 300 a weekday, 60 a weekend day, the 12th 2,700. Actual 13 * 300 + 2,400 + 6 * 60 = 6,660;
    # weekdays (20 * 300 + 2,400) / 20 = 420; forecast 6,660 + 7 * 420 + 4 * 60 = 9,840 of 8,000.
    assert budgets["project:warehouse"] == (
        through, 7, 4, d("6660.00"), d("420.00"), d("60.00"), d("9840.00"), d("83.25"), d("123.00"),
        [50, 80], [50, 80, 100])
    # The whole GCP project: BigQuery + Compute Engine 25 + Cloud Storage 4 a day.
    assert budgets[f"account:{GCP_PROJECT}"] == (
        through, 7, 4, d("7211.00"), d("449.00"), d("89.00"), d("10710.00"), d("72.11"), d("107.10"),
        [50], [50, 80, 100])
    # Cloud Storage only, 4 a day: 19 * 4 = 76, forecast 76 + 11 * 4 = 120 of 100.
    assert budgets["team:identity"] == (
        through, 7, 4, d("76.00"), d("4.00"), d("4.00"), d("120.00"), d("76.00"), d("120.00"),
        [50], [50, 80, 100])


def test_account_budget_counts_its_currency_and_its_own_cost(cost_url):
    """The Azure subscription (EUR): VM, VNet and Storage, computed here from the fixture's rules."""
    daily = {day: vm_cost(day) + 12 + 15 for day in days()}
    june = [day for day in days() if day.month == 6]
    window = [LAST_DAY - timedelta(n) for n in range(28)]
    weekday = statistics.mean(daily[day] for day in window if day.isoweekday() < 6)
    weekend = statistics.mean(daily[day] for day in window if day.isoweekday() >= 6)
    actual = sum(daily[day] for day in june)
    forecast = actual + 7 * weekday + 4 * weekend
    _, _, _, *amounts, actual_crossed, forecast_crossed = budget_rows(cost_url)[f"account:{SUBSCRIPTION}"]
    assert amounts == [cents(actual), cents(weekday), cents(weekend), cents(forecast),
                       cents(100 * actual / 9000), cents(100 * forecast / 9000)]
    assert (actual_crossed, forecast_crossed) == ([], [50])


def test_past_months_are_complete_and_their_forecast_is_their_actual(cost_url):
    [may] = rows(cost_url, """
        SELECT through_day, days_elapsed, remaining_weekdays, actual_cost, forecast_cost, is_current_month
        FROM marts.budget_status WHERE budget_id = 'project:warehouse' AND budget_month = '2024-05-01'
    """)
    # May 6 - 31: 20 weekdays at 300, 6 weekend days at 60
    assert may == (date(2024, 5, 31), 31, 0, Decimal("6360.00"), Decimal("6360.00"), False)


def test_the_spike_is_the_only_anomaly(cost_url):
    """Weekly seasonality (BigQuery, the EC2 instance, the noisy Azure VM) and the Lambda's jump from 0.10 to
    5.00 (below min_impact) are not anomalies; BigQuery's 2,700 against its Wednesday median of 300 is."""
    assert rows(cost_url, "SELECT * FROM marts.cost_anomalies") == [
        (date(2024, 6, 12), "gcp", "USD", "data", "BigQuery", Decimal("2700.00"), Decimal("300.00"),
         Decimal("0.00"), None, Decimal("2400.00")),
    ]
    [(lambda_impact,)] = rows(cost_url, """
        SELECT impact FROM intermediate.int_cost_anomaly_scores
        WHERE service_name = 'AWS Lambda' AND charge_day = '2024-06-12'
    """)
    assert lambda_impact == Decimal(5) - Decimal("0.1034567891")


def test_noise_within_the_spread_is_not_an_anomaly(cost_url):
    """The Azure VM on Friday June 14 costs 80 more than usual, above min_impact, but within 3.5 spreads: the
    baseline and spread below are computed here, from the fixture's rules, as the model defines them."""
    window = [BUMP_DAY - timedelta(n) for n in range(1, 29)]
    by_weekday = defaultdict(list)
    for day in window:
        by_weekday[day.isoweekday()].append(vm_cost(day))
    medians = {weekday: statistics.median(costs) for weekday, costs in by_weekday.items()}
    spread = Decimal("1.4826") * statistics.median(abs(vm_cost(day) - medians[day.isoweekday()]) for day in window)
    baseline = medians[BUMP_DAY.isoweekday()]
    [(cost, model_baseline, model_spread, impact)] = rows(cost_url, """
        SELECT cost, baseline_cost, spread, impact FROM intermediate.int_cost_anomaly_scores
        WHERE service_name = 'Virtual Machines' AND charge_day = %s
    """, BUMP_DAY)
    assert (cost, model_baseline, model_spread, impact) == (vm_cost(BUMP_DAY), baseline, spread, cost - baseline)
    assert SETTINGS.anomalies.min_impact <= impact < SETTINGS.anomalies.min_deviation * spread


def test_only_days_with_a_full_window_are_scored(cost_url):
    [(first, last, series)] = rows(cost_url, """
        SELECT min(charge_day), max(charge_day), count(DISTINCT (provider, team, service_name))
        FROM intermediate.int_cost_anomaly_scores
    """)
    assert (first, last, series) == (FIRST_DAY + timedelta(28), LAST_DAY, 11)


# The cost marts that are tables, each as its rows without built_at (when the build ran), in key order.
COST_TABLES = {
    "cost_daily": "cost_daily_id",
    "cost_attribution": "cost_attribution_id",
    "cost_allocation_parts": "charge_day, provider, billing_currency, team, project, cost_pool",
    "cost_allocation": "charge_day, provider, billing_currency, team, project",
    "budget_status": "budget_id, budget_month",
    "cost_forecast": "cost_forecast_id",
    "cost_anomalies": "charge_day, provider, billing_currency, team, service_name",
}


def cost_tables(url: str) -> dict[str, list[tuple]]:
    return {table: rows(url, f"SELECT to_jsonb(t) - 'built_at' FROM marts.{table} AS t ORDER BY {key}")
            for table, key in COST_TABLES.items()}


def build_costs(url: str, *extra: str, costs: dict = COSTS) -> None:
    """`dbt build` of the billing days' versions and every model and test downstream of them (cost_daily and
    the rest), with the ``costs`` config."""
    variables = {"costs": load_settings(costs=costs).costs.model_dump(mode="json")}
    args = ["build", "--select", "int_cost_day_versions+", "--exclude", "test_type:unit",
            "--vars", json.dumps(variables)]
    invocation = dbt_resource(url).cli([*args, *extra], raise_on_error=False)
    assert invocation.wait().is_successful()


def deliver_next_day(conn, in_slice: str) -> None:
    """The lines of LAST_DAY in the slice (a WHERE condition) again on the next day, as new lines."""
    conn.execute(f"""
        CREATE TEMPORARY TABLE next_day AS
        SELECT * FROM raw_billing.focus_charges WHERE {in_slice} AND charge_period_start = %s
    """, (datetime.combine(LAST_DAY, time(), UTC),))
    conn.execute("""
        UPDATE next_day SET line_item_id = line_item_id || '-next',
            charge_period_start = charge_period_start + interval '1 day',
            charge_period_end = charge_period_end + interval '1 day'
    """)
    conn.execute("INSERT INTO raw_billing.focus_charges SELECT * FROM next_day")


def test_a_restated_slice_replaces_its_rows_incrementally(cost_url):
    """GCP restates June with a new load, one day longer: Cloud Storage gone from the 10th, BigQuery one more on
    every day, the 19th's lines again on the 20th. The incremental build replaces that slice only in cost_daily and
    cost_attribution, its data tests pass, and every cost mart equals a full rebuild exactly; once the fixture's
    slice is back, a full refresh restores all."""
    in_slice = "provider = 'gcp' AND billing_period = '2024-06-01'"
    snapshot = "SELECT to_jsonb(d) - 'built_at' FROM marts.cost_daily AS d ORDER BY cost_daily_id"

    def outside_slice(table: list[tuple]) -> list[tuple]:
        return [row for row in table if (row[0]["provider"], row[0]["billing_period"]) != ("gcp", "2024-06-01")]

    before, tables_before = rows(cost_url, snapshot), cost_tables(cost_url)
    with connect(cost_url) as conn:
        conn.execute(f"CREATE TABLE public.gcp_june AS SELECT * FROM raw_billing.focus_charges WHERE {in_slice}")
        conn.execute(f"DELETE FROM raw_billing.focus_charges WHERE {in_slice}")
        conn.execute("""
            INSERT INTO raw_billing.focus_charges
            SELECT * FROM public.gcp_june
            WHERE NOT (service_name = 'Cloud Storage' AND charge_period_start >= '2024-06-10')
        """)
        conn.execute(f"""
            UPDATE raw_billing.focus_charges
            SET billed_cost = billed_cost + 1, effective_cost = effective_cost + 1, load_id = %s
            WHERE {in_slice}
        """, (load_id("gcp", date(2024, 6, 1), version=2),))
        deliver_next_day(conn, in_slice)
    try:
        build_costs(cost_url)
        restated, tables_restated = rows(cost_url, snapshot), cost_tables(cost_url)
        assert rows(cost_url, f"SELECT max(charge_day) FROM marts.cost_daily WHERE {in_slice}") == [
            (LAST_DAY + timedelta(days=1),)]
        [(loads, storage_days, bigquery, billed)] = rows(cost_url, f"""
            SELECT count(DISTINCT load_id),
                   count(*) FILTER (WHERE service_name = 'Cloud Storage' AND {in_slice}),
                   sum(billed_cost) FILTER (WHERE service_name = 'BigQuery' AND charge_day = '2024-06-12'),
                   sum(billed_cost) FILTER (WHERE {in_slice})
            FROM marts.cost_daily
        """)
        assert (loads, storage_days, bigquery) == (6, 9, Decimal(2701))
        assert rows(cost_url, f"SELECT sum(billed_cost) FROM raw_billing.focus_charges WHERE {in_slice}") == [
            (billed,)]
        assert outside_slice(restated) == outside_slice(before)
        # Only the restated slice was written again: the other slices' rows keep the build time of the first build.
        [(built_slices,)] = rows(cost_url, """
            SELECT array_agg(DISTINCT provider || '/' || billing_period) FROM marts.cost_attribution
            WHERE built_at = (SELECT max(built_at) FROM marts.cost_attribution)
        """)
        assert built_slices == ["gcp/2024-06-01"]
        build_costs(cost_url, "--full-refresh")
        assert cost_tables(cost_url) == tables_restated
    finally:
        with connect(cost_url) as conn:
            conn.execute(f"DELETE FROM raw_billing.focus_charges WHERE {in_slice}")
            conn.execute("INSERT INTO raw_billing.focus_charges SELECT * FROM public.gcp_june")
            conn.execute("DROP TABLE public.gcp_june")
    build_costs(cost_url, "--full-refresh")
    assert cost_tables(cost_url) == tables_before


def test_a_restatement_rebuilds_only_the_days_it_changed(cost_url):
    """GCP restates June with a new load that leaves every day as it was and adds the next one, as providers
    restate the open month daily: the incremental build writes that day's rows only. The other days keep their
    rows, built from the first load; but for that, every cost mart equals a full rebuild exactly."""
    in_slice = "provider = 'gcp' AND billing_period = '2024-06-01'"
    first_load, restatement = (load_id("gcp", date(2024, 6, 1), version=version) for version in (1, 2))
    next_day = LAST_DAY + timedelta(days=1)

    def latest_build_days(table: str) -> list[tuple]:
        return rows(cost_url, f"""
            SELECT DISTINCT provider, billing_period, charge_day FROM marts.{table}
            WHERE built_at = (SELECT max(built_at) FROM marts.{table})
        """)

    def latest_written(table: str, column: str) -> list[tuple]:
        """The distinct values of column in the rows the latest transaction writing table wrote."""
        return rows(cost_url, f"""
            SELECT DISTINCT {column} FROM {table}
            WHERE xmin::text::bigint = (SELECT max(xmin::text::bigint) FROM {table})
        """)

    def without_loads(tables: dict[str, list[tuple]]) -> dict[str, list[dict]]:
        return {name: [{k: v for k, v in row.items() if k != "load_id"} for (row,) in table]
                for name, table in tables.items()}

    tables_before = cost_tables(cost_url)
    with connect(cost_url) as conn:
        deliver_next_day(conn, in_slice)
        conn.execute(f"UPDATE raw_billing.focus_charges SET load_id = %s WHERE {in_slice}", (restatement,))
    try:
        build_costs(cost_url)
        assert latest_build_days("cost_daily") == latest_build_days("cost_attribution") == [
            ("gcp", date(2024, 6, 1), next_day)]
        assert rows(cost_url, f"""
            SELECT charge_day = %s, array_agg(DISTINCT load_id::text) FROM marts.cost_daily WHERE {in_slice}
            GROUP BY 1 ORDER BY 1
        """, next_day) == [(False, [first_load]), (True, [restatement])]
        # The models reading several days recompute only the rows that read the new one (macro cost_prepare_inputs):
        # its allocation, its month's forecast (May's window ends on the 31st) and its anomaly scores.
        assert latest_written("marts.cost_allocation_parts", "charge_day") == [(next_day,)]
        assert latest_written("marts.cost_forecast", "forecast_month") == [(date(2024, 6, 1),)]
        assert latest_written("intermediate.int_cost_anomaly_scores", "charge_day") == [(next_day,)]
        incremental = cost_tables(cost_url)
        build_costs(cost_url, "--full-refresh")
        assert without_loads(cost_tables(cost_url)) == without_loads(incremental)
    finally:
        with connect(cost_url) as conn:
            conn.execute(f"DELETE FROM raw_billing.focus_charges WHERE {in_slice} AND line_item_id LIKE '%%-next'")
            conn.execute(f"UPDATE raw_billing.focus_charges SET load_id = %s WHERE {in_slice}", (first_load,))
    build_costs(cost_url, "--full-refresh")
    assert cost_tables(cost_url) == tables_before


def test_changed_allocation_rules_attribute_all_history_again(cost_url):
    """cost_attribution is incremental by slice, but its rows depend on the allocation rules: a build with other
    rules (here no tag rules and no account defaults) attributes every slice again, equal to a full build."""
    tables_before = cost_tables(cost_url)
    other_rules = {**COSTS, "tag_rules": [], "account_defaults": {}}
    try:
        build_costs(cost_url, costs=other_rules)
        incremental = cost_tables(cost_url)
        assert incremental["cost_attribution"] != tables_before["cost_attribution"]
        assert incremental["cost_daily"] == tables_before["cost_daily"]
        build_costs(cost_url, "--full-refresh", costs=other_rules)
        assert cost_tables(cost_url) == incremental
    finally:
        build_costs(cost_url)
    assert cost_tables(cost_url) == tables_before


def outbox(url: str) -> list[tuple[str, str]]:
    return rows(url, "SELECT dedup_key, action FROM alerts.outbox ORDER BY alert_id")


def test_budget_crossings_and_the_spike_alert_once_and_resolve_when_they_stop(cost_url):
    recent, later = (load_settings(costs={**COSTS, "anomalies": {"min_impact": 50, "alert_days": days}}).costs
                     for days in (10, 7))
    with connect(cost_url) as conn:
        # As if May's warehouse budget had alerted at 50 %: the month is over, so this run resolves it.
        may = Alert("budget:project:warehouse:2024-05:50:actual", "budget", "medium", "t", "s")
        enqueue_alerts(conn, [may], AS_OF)
        alerts = cost_alerts(conn, recent)
        triggers = {(a.dedup_key, a.severity, a.link) for a in alerts if a.action == "trigger"}
        assert enqueue_alerts(conn, alerts, AS_OF) == len(triggers) + 1
        assert enqueue_alerts(conn, cost_alerts(conn, recent), AS_OF) == 0  # nothing changed: none new
        # Three days later (alert_days 7 on the same data) the spike is no longer recent: resolved.
        assert enqueue_alerts(conn, cost_alerts(conn, later), AS_OF) == 1
    assert triggers == {
        ("budget:project:warehouse:2024-06:50:actual", "medium", "/budgets"),
        ("budget:project:warehouse:2024-06:80:actual", "medium", "/budgets"),
        ("budget:project:warehouse:2024-06:100:forecast", "medium", "/budgets"),
        (f"budget:account:{GCP_PROJECT}:2024-06:50:actual", "medium", "/budgets"),
        (f"budget:account:{GCP_PROJECT}:2024-06:80:forecast", "low", "/budgets"),
        (f"budget:account:{GCP_PROJECT}:2024-06:100:forecast", "medium", "/budgets"),
        ("budget:team:identity:2024-06:50:actual", "medium", "/budgets"),
        ("budget:team:identity:2024-06:80:forecast", "low", "/budgets"),
        ("budget:team:identity:2024-06:100:forecast", "medium", "/budgets"),
        (f"budget:account:{SUBSCRIPTION}:2024-06:50:forecast", "low", "/budgets"),
        ("anomaly:data:BigQuery:2024-06-12", "high", "/anomalies"),
    }
    history = outbox(cost_url)
    assert [entry for entry in history if entry[1] == "resolve"] == [
        ("budget:project:warehouse:2024-05:50:actual", "resolve"),
        ("anomaly:data:BigQuery:2024-06-12", "resolve"),
    ]
    assert len(history) == 1 + len(triggers) + 2
    by_key = {a.dedup_key: a for a in alerts}
    assert by_key["budget:project:warehouse:2024-06:80:actual"].summary == (
        "project warehouse has spent 6,660.00 USD of its 8,000.00 USD budget for June 2024 (83.25 %) as of "
        "2024-06-19; the month is forecast to end at 9,840.00 USD (123.00 %)."
    )
    spike = by_key["anomaly:data:BigQuery:2024-06-12"]
    assert spike.summary == (
        "BigQuery (gcp) cost team data 2,700.00 USD on Wednesday 2024-06-12, 2,400.00 USD above its usual "
        "300.00 USD for a Wednesday (a series that never varies)."
    )
    assert (spike.title, spike.details["impact"]) == ("Cost anomaly: BigQuery for team data on 2024-06-12", 2400.0)


def test_billing_slice_status_shows_each_slice_and_the_refused_loads(cost_url):
    """Six slices loaded once; GCP's June restatement refused (June's first load still serves); one file
    unreadable, so no slice of its own."""
    records = Counter((r["provider"], r["billing_account_id"], r["billing_period"]) for r in focus_records())
    status = {
        key: rest
        for key, *rest in rows(
            cost_url,
            "SELECT slice_key, latest_status, latest_problem, loaded_rows, serves_earlier_load"
            " FROM marts.billing_slice_status",
        )
    }
    loaded = {
        f"{provider}/{account}/{period:%Y-%m}": ["loaded", None, count, False]
        for (provider, account, period), count in records.items()
    }
    gcp_june = f"gcp/{PROVIDERS['gcp'][0]}/2024-06"
    assert status == {
        **loaded,
        gcp_june: ["quarantined", REFUSED_GCP_JUNE, loaded[gcp_june][2], True],
        UNREADABLE[0]: ["quarantined", UNREADABLE[1], None, False],
    }
