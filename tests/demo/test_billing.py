"""Demo billing: generated from the estate (deterministic, exact), published as providers deliver it."""

from __future__ import annotations

import gzip
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import polars as pl
import pytest

from assets.billing.focus_files import deliveries, read_delivery
from cloudforge.focus import SERVICE_SUBCATEGORIES, columns_of
from demo.billing import (
    AWS_COLUMNS,
    DAYS,
    DOMAIN_PURCHASE,
    FOCUS_COLUMNS,
    INJECTED_SPIKE,
    MANAGEMENT_ACCOUNT,
    SUPPORT_PER_DAY,
    TAX_RATE,
    DemoBilling,
    expected_billing_totals,
    generate_billing,
)
from demo.billing_exports import (
    EXPORT_BUCKET,
    demo_sources,
    publish_demo_billing,
    write_aws_export,
)
from demo.estate import Estate, ResourceSpec, generate_estate
from demo.seeding import DUMMY_CREDENTIALS, ResourceIds

START = date(2024, 1, 20)  # 90 days over four billing periods, a leap February among them
SEED = 42


def fake_ids(estate: Estate) -> ResourceIds:
    """Ids as seeding would return them, without a server: the generator only passes them through."""
    return {
        (*s.key, s.name): (f"{s.resource_type}-{n:04d}", f"arn:aws:test:{s.region}:{s.account_id}:{n}")
        for n, s in enumerate(estate.resources)
        if s.managed_by == "estate"
    }


@pytest.fixture(scope="module")
def estate() -> Estate:
    return generate_estate(SEED, 300)


@pytest.fixture(scope="module")
def resource_ids(estate: Estate) -> ResourceIds:
    return fake_ids(estate)


@pytest.fixture(scope="module")
def billing(estate: Estate, resource_ids: ResourceIds) -> DemoBilling:
    return generate_billing(estate, resource_ids, START, DAYS, SEED)


@pytest.fixture(scope="module")
def aws(billing: DemoBilling) -> pl.DataFrame:
    return billing.frames["aws"]


def window(billing: DemoBilling) -> list[date]:
    return [billing.start + timedelta(days=i) for i in range(billing.days)]


def billed_every_day(spec: ResourceSpec) -> int:
    """How many usage rows a day the estate's billing design gives a resource (0: free)."""
    a = spec.attributes
    return {
        "ec2_instance": a.get("state") == "running",
        "ebs_volume": 1,
        "ebs_snapshot": 1,
        "elastic_ip": a.get("associated_with") is None,
        "rds_instance": 2,  # instance hours and storage
        "s3_bucket": 1,
        "load_balancer": 1,
        "lambda_function": 2,  # requests and GB-seconds
        "kms_key": not a.get("aws_managed", True),
    }.get(spec.resource_type, 0)


def test_the_same_arguments_give_the_same_billing(estate, resource_ids, billing):
    again = generate_billing(estate, resource_ids, START, DAYS, SEED)
    assert all(again.frames[p].equals(billing.frames[p]) for p in ("aws", "azure", "gcp"))
    other = generate_billing(estate, resource_ids, START, DAYS, SEED + 1)
    assert not other.frames["gcp"].equals(billing.frames["gcp"])


def test_every_provider_bills_each_day_of_the_window_in_usd(billing):
    days = window(billing)
    assert (days[0], days[-1], billing.end) == (START, date(2024, 4, 18), date(2024, 4, 19))
    for provider, frame in billing.frames.items():
        assert frame.columns == list(FOCUS_COLUMNS) + list(AWS_COLUMNS if provider == "aws" else ()), provider
        charged = frame.select(
            pl.col("ChargePeriodStart").dt.date().alias("day"),
            (pl.col("ChargePeriodEnd") - pl.col("ChargePeriodStart")).alias("length"),
            pl.col("BillingPeriodStart").dt.date().alias("period"),
        )
        assert sorted(charged.get_column("day").unique()) == days, provider
        assert set(charged.get_column("length")) == {timedelta(days=1)}
        assert charged.filter(pl.col("period") != pl.col("day").dt.truncate("1mo")).is_empty()
        assert set(frame.get_column("BillingCurrency")) == {"USD"}
        assert frame.get_column("BillingAccountId").n_unique() == 1
        assert frame.filter(pl.col("ListCost") < pl.col("EffectiveCost")).is_empty(), provider


def test_aws_bills_each_billable_resource_every_day_under_its_arn_with_its_raw_tags(
    estate, resource_ids, aws
):
    usage = aws.filter(
        (pl.col("ChargeCategory") == "Usage")
        & pl.col("ResourceId").is_not_null()
        & pl.col("CommitmentDiscountStatus").ne_missing(pl.lit("Unused"))
    )
    expected = {}
    for spec in estate.resources:
        if spec.managed_by == "estate" and billed_every_day(spec):
            resource_id, arn = resource_ids[(*spec.key, spec.name)]
            expected[arn] = (
                DAYS * billed_every_day(spec),
                spec.account_id,
                spec.region,
                resource_id,
                json.dumps(spec.raw_tags) if spec.raw_tags else None,
            )
    found = usage.group_by("ResourceId").agg(
        pl.len(), *(pl.col(c).unique().alias(c) for c in ("SubAccountId", "RegionId", "ResourceName", "Tags"))
    )
    assert {
        arn: (n, *(values.to_list() if len(values) > 1 else values[0] for values in rest))
        for arn, n, *rest in found.iter_rows()
    } == expected
    untagged = [arn for arn, (*_, tags) in expected.items() if tags is None]
    assert untagged, "the estate's untagged resources are untagged spend"


def test_shared_charges_credits_tax_and_purchases(aws, billing):
    days = window(billing)
    kinds = Counter(
        aws.filter(pl.col("ResourceId").is_null()).select("ChargeCategory", "ServiceName").iter_rows()
    )
    assert kinds == {
        ("Usage", "AWS Support (Business)"): DAYS,
        ("Usage", "AWS Data Transfer"): DAYS * 9,  # per account and region, no resource
        ("Credit", "Amazon Elastic Compute Cloud"): sum(day.day == 1 for day in days),
        ("Tax", "Tax"): DAYS * 3,  # per account
    }
    support = aws.filter(pl.col("ServiceName") == "AWS Support (Business)")
    assert set(support.get_column("BilledCost")) == {SUPPORT_PER_DAY}
    assert set(support.get_column("SubAccountId")) == {MANAGEMENT_ACCOUNT}
    assert (aws.filter(pl.col("ChargeCategory") == "Credit").get_column("BilledCost") < 0).all()
    usage = (
        aws.filter(pl.col("ChargeCategory") == "Usage")
        .group_by(pl.col("ChargePeriodStart").dt.date(), "SubAccountId")
        .agg(pl.col("BilledCost").sum())
    )
    tax = aws.filter(pl.col("ChargeCategory") == "Tax").select(
        pl.col("ChargePeriodStart").dt.date(), "SubAccountId", "BilledCost"
    )
    assert {(d, a): c for d, a, c in tax.iter_rows()} == {
        (d, a): (c * TAX_RATE).quantize(Decimal("0.01")) for d, a, c in usage.iter_rows()
    }
    purchases = aws.filter(pl.col("ChargeCategory") == "Purchase").select("ServiceName", "ChargeFrequency")
    assert sorted(purchases.iter_rows()) == [
        ("Amazon Route 53", "One-Time"),
        ("Savings Plans for AWS Compute usage", "One-Time"),
    ]


def test_the_savings_plan_bills_upfront_and_amortises_over_the_usage_it_covers(aws, billing):
    plan = billing.savings_plan
    assert plan.upfront == plan.hourly * 8760 and plan.purchase_day == START + timedelta(days=30)
    rows = aws.filter(pl.col("CommitmentDiscountId") == plan.arn)
    (purchase,) = rows.filter(pl.col("ChargeCategory") == "Purchase").iter_rows(named=True)
    assert (purchase["BilledCost"], purchase["EffectiveCost"]) == (plan.upfront, 0)
    assert purchase["ChargePeriodStart"].date() == plan.purchase_day
    used = rows.filter(pl.col("CommitmentDiscountStatus") == "Used")
    assert set(used.get_column("BilledCost")) == {0}
    assert set(used.get_column("ResourceId")) == set(plan.covered)
    assert all(e == c * Decimal("0.72") for c, e in used.select("ListCost", "EffectiveCost").iter_rows())
    assert (rows.filter(pl.col("CommitmentDiscountStatus") == "Unused").get_column("BilledCost") == 0).all()
    daily = rows.filter(pl.col("ChargeCategory") == "Usage").group_by(pl.col("ChargePeriodStart").dt.date())
    effective = dict(daily.agg(pl.col("EffectiveCost").sum()).iter_rows())
    assert effective == {day: plan.daily for day in window(billing) if day >= plan.purchase_day}
    purchases = aws.filter(pl.col("ChargeCategory") == "Purchase")
    assert set(purchases.get_column("EffectiveCost")) == {0}  # paid ahead for what they cover
    others = aws.filter(pl.col("CommitmentDiscountId").is_null() & (pl.col("ChargeCategory") != "Purchase"))
    assert (others.get_column("BilledCost") == others.get_column("EffectiveCost")).all()
    difference = (aws.get_column("BilledCost") - aws.get_column("EffectiveCost")).sum()
    paid_ahead = purchases.get_column("BilledCost").sum()
    assert paid_ahead == plan.upfront + DOMAIN_PURCHASE
    assert difference == paid_ahead - plan.daily * plan.amortised_days(billing.end)


@pytest.mark.parametrize(
    "provider, charges, ratio",
    [
        ("aws", pl.col("x_UsageType").str.contains("BoxUsage:"), 1.2),  # instance hours
        ("aws", pl.col("ServiceName") == "AWS Lambda", 1.8),
        ("gcp", pl.col("ServiceName") == "BigQuery", 2.2),
    ],
)
def test_weekdays_cost_more_than_weekends(billing, provider, charges, ratio):
    daily = (
        billing.frames[provider]
        .filter(charges)
        .group_by(pl.col("ChargePeriodStart").dt.date().alias("day"))
        .agg(pl.col("ListCost").sum().cast(pl.Float64))
    )
    weekend = pl.col("day").dt.weekday() >= 6
    weekdays, weekends = (
        daily.filter(which).get_column("ListCost").median() for which in (~weekend, weekend)
    )
    assert weekdays > ratio * weekends


def test_the_injected_spike_is_the_only_jump_in_any_teams_service(estate, resource_ids, billing):
    """Daily effective cost per (provider, team, service) against the median of the other days of its kind
    (weekday or weekend): one value is more than 3 times its baseline by more than $25, the spike."""
    team_of = {
        resource_ids[(*s.key, s.name)][1]: s.canonical_tags.get("team")
        for s in estate.resources
        if s.managed_by == "estate"
    }
    series: dict[tuple, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for provider, frame in billing.frames.items():
        for day, service, resource, tags, cost in frame.select(
            pl.col("ChargePeriodStart").dt.date(), "ServiceName", "ResourceId", "Tags", "EffectiveCost"
        ).iter_rows():
            labels = {key.lower(): value for key, value in json.loads(tags or "{}").items()}
            team = team_of.get(resource) if provider == "aws" else labels.get("team")
            series[(provider, team, service)][day] += cost
    days = window(billing)
    jumps = []
    for key, costs in series.items():
        for day in days:
            kind = [
                other for other in days if other != day and (other.weekday() >= 5) == (day.weekday() >= 5)
            ]
            baseline = statistics.median(costs[other] for other in kind)
            if costs[day] > 3 * baseline and costs[day] - baseline > 25:
                jumps.append((key, day, round(costs[day] / baseline, 1)))
    spike = INJECTED_SPIKE
    assert billing.spike_day == spike.day(billing.end) == date(2024, 4, 9)  # 10 days back, a Tuesday
    [(key, day, ratio)] = jumps
    assert (key, day) == ((spike.provider, spike.team, spike.service), billing.spike_day)
    assert 5 <= ratio <= 7  # six times the day's usage, against a noisy baseline


def test_azure_and_gcp_bill_two_accounts_per_team_with_labels(billing):
    for provider, account_column in (("azure", "SubAccountName"), ("gcp", "SubAccountId")):
        frame = billing.frames[provider]
        accounts = {name.rsplit("-", 1)[0] if provider == "gcp" else name for name in frame[account_column]}
        assert accounts == {
            f"{team}-{env}"
            for team in ("payments", "search", "platform", "data", "identity")
            for env in ("prod", "dev")
        }
        assert frame.get_column("ResourceId").null_count() == 0
    azure_tags = billing.frames["azure"].group_by("ResourceName").agg(pl.col("Tags").first())
    untagged = azure_tags.filter(pl.col("Tags").is_null()).get_column("ResourceName").to_list()
    assert untagged == ["old-jumpbox-osdisk"]
    keys = {key for tags in azure_tags.get_column("Tags").drop_nulls() for key in json.loads(tags)}
    assert keys == {"team", "Team", "env", "Environment", "project", "owner"}


def test_every_service_has_one_category_and_one_of_its_subcategories(billing):
    """FOCUS 1.2: ServiceName -> one ServiceCategory and one ServiceSubcategory belonging to that category."""
    for frame in billing.frames.values():
        services = frame.group_by("ServiceName").agg(
            pl.col("ServiceCategory").unique(), pl.col("ServiceSubcategory").unique()
        )
        for service, categories, subcategories in services.iter_rows():
            assert len(categories) == len(subcategories) == 1, service
            assert subcategories[0] in SERVICE_SUBCATEGORIES[categories[0]], service


def test_expected_totals_are_the_exact_sums(billing):
    daily = expected_billing_totals(billing)
    monthly = expected_billing_totals(billing, period="month")
    assert len(daily) == 3 * DAYS and len(monthly) == 3 * 4
    for provider, frame in billing.frames.items():
        total = frame.get_column("BilledCost").sum()
        assert sum(v for (p, _), v in daily.items() if p == provider) == total
        assert sum(v for (p, _), v in monthly.items() if p == provider) == total
    effective = expected_billing_totals(billing, period="month", cost="EffectiveCost")
    assert monthly[("aws", date(2024, 2, 1))] - effective[("aws", date(2024, 2, 1))] == (
        billing.savings_plan.upfront - billing.savings_plan.daily * 11  # bought on 19 February
    )


def test_too_short_a_window_is_refused(estate, resource_ids):
    with pytest.raises(ValueError, match="at least 28 days, got 7"):
        generate_billing(estate, resource_ids, START, 7, SEED)


# --- publication -------------------------------------------------------------------------------------------


EXPORT = "focus/cloudforge-focus"


@dataclass(frozen=True)
class Published:
    billing: DemoBilling
    sources: list[str]  # as the billing asset finds them in demo mode
    s3: Any  # a client of the moto server, as the asset's (the boto3 chain's dummy account)


@pytest.fixture(scope="module")
def published(estate, resource_ids, moto_endpoint, tmp_path_factory) -> Published:
    state_dir = tmp_path_factory.mktemp("billing-state")
    today = START + timedelta(days=DAYS)
    billing = publish_demo_billing(estate, resource_ids, moto_endpoint, state_dir, today)
    sources = demo_sources(state_dir)
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", **DUMMY_CREDENTIALS)
    return Published(billing, sources, s3)


def test_the_published_deliveries_read_back_exactly(published):
    """Read with the ingestion's own readers: every period of every provider, sums to the last decimal."""
    billed, effective, rows = {}, {}, Counter()
    for source in published.sources:
        for delivery in deliveries(source, published.s3):
            frame = read_delivery(delivery, published.s3)
            assert frame.get_column("_unparsed").null_count() == frame.height, delivery
            sums = frame.group_by("provider", "billing_period").agg(
                pl.len(), pl.col("BilledCost").sum(), pl.col("EffectiveCost").sum()
            )
            for provider, period, n, billed_cost, effective_cost in sums.iter_rows():
                rows[(provider, period)] += n
                billed[(provider, period)] = billed_cost
                effective[(provider, period)] = effective_cost
    assert billed == expected_billing_totals(published.billing, period="month")
    assert effective == expected_billing_totals(published.billing, period="month", cost="EffectiveCost")
    assert rows == {
        (provider, period): n
        for provider, frame in published.billing.frames.items()
        for period, n in frame.group_by(pl.col("BillingPeriodStart").dt.date()).len().iter_rows()
    }


def test_the_aws_export_is_laid_out_as_data_exports_writes_it(published):
    s3 = published.s3
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=EXPORT_BUCKET)["Contents"])
    periods = ("2024-01", "2024-02", "2024-03", "2024-04")
    data = [
        f"{EXPORT}/data/BILLING_PERIOD={p}/20240419T000000Z/cloudforge-focus-00001.snappy.parquet"
        for p in periods
    ]
    manifests = [f"{EXPORT}/metadata/BILLING_PERIOD={p}/cloudforge-focus-Manifest.json" for p in periods]
    assert keys == data + manifests
    manifest = json.loads(s3.get_object(Bucket=EXPORT_BUCKET, Key=manifests[-1])["Body"].read())
    assert manifest["billingPeriod"] == {
        "start": "2024-04-01T00:00:00.000Z",
        "end": "2024-05-01T00:00:00.000Z",
    }
    assert manifest["dataFiles"] == [f"s3://{EXPORT_BUCKET}/{data[-1]}"]
    focus_1_2 = {c.name for c in columns_of("1.2")}
    assert {c["name"] for c in manifest["columns"]} == focus_1_2 | set(AWS_COLUMNS)
    types = {c["name"]: c["type"] for c in manifest["columns"]}
    assert (types["BilledCost"], types["Tags"]) == ("double", "map<string, string>")
    assert s3.get_bucket_location(Bucket=EXPORT_BUCKET)["LocationConstraint"] == "us-east-2"


def test_azure_writes_csv_gz_with_null_text_and_json_tags(published):
    text = gzip.decompress((Path(published.sources[1]) / "azure" / "focus-azure-2024-02.csv.gz").read_bytes())
    header, first = text.decode().splitlines()[:2]
    assert header.split(",")[:3] == ["AvailabilityZone", "BilledCost", "BillingAccountId"]
    assert first.startswith("NULL,") and '"{""team"": ""payments""' in first
    assert ",2024-02-01T00:00Z," in first


def test_publishing_again_replaces_the_previous_export(published, moto_endpoint):
    """Runs last: it leaves one period in the export."""
    april = published.billing.frames["aws"].filter(pl.col("BillingPeriodStart").dt.month() == 4)
    manifests = write_aws_export(april, moto_endpoint, execution="20240420T000000Z")
    manifest = f"{EXPORT}/metadata/BILLING_PERIOD=2024-04/cloudforge-focus-Manifest.json"
    assert manifests == [f"s3://{EXPORT_BUCKET}/{manifest}"]
    keys = sorted(o["Key"] for o in published.s3.list_objects_v2(Bucket=EXPORT_BUCKET)["Contents"])
    assert keys == [
        f"{EXPORT}/data/BILLING_PERIOD=2024-04/20240420T000000Z/cloudforge-focus-00001.snappy.parquet",
        manifest,
    ]
