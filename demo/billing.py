"""Demo billing: 90 days of FOCUS 1.2 charges for the demo estate (AWS) and a small Azure and GCP estate.

``generate_billing(estate, resource_ids, start, days, seed)`` returns a :class:`DemoBilling`: one polars frame
per provider with FOCUS column names (AWS adds its ``x_`` columns), typed values (costs as exact decimals,
timestamps in UTC, ``Tags`` as JSON text). Same arguments, equal frames. ``billing_exports`` writes them where
the providers deliver billing; tests derive their expectations from the same frames
(``expected_billing_totals``). The columns, their types and allowed values are the project's FOCUS
specification (``cloudforge.focus``); every row conforms to FOCUS 1.2 as the FinOps Foundation's
focus-validator checks it (tests/local/test_focus_validator.py): one ServiceCategory and ServiceSubcategory
per ServiceName, units in the FOCUS unit format, an InvoiceId per billing account and period.

AWS is billed from the estate, under the ids the inventory reports: ``resource_ids`` is what
``cloud.seed_estate`` returns, since moto assigns them. ``ResourceId`` is the ARN (as in AWS FOCUS exports),
``ResourceName`` the inventory's resource id, ``Tags`` the resource's raw tags, mess included (allocation
normalises them downstream). ``BillingAccountId`` is the management account (the first demo account),
``SubAccountId`` the account that owns the resource. Azure and GCP bill a synthetic estate: per team a
``prod`` and a ``dev`` subscription (project), each with a few tagged (labelled) resources.

What the charges hold (one row per day, resource and usage type; us-east-1 list prices; USD everywhere):

===================  ======================================================================================
usage                running instances per hour by type (24 h; dev and staging ones 12 h on Saturdays and
                     Sundays), EBS volumes and snapshots per GB-month (prorated per day), unassociated
                     Elastic IPs per hour, RDS instance hours and storage, S3 storage (growing 0.2 % a day),
                     load balancer hours, Lambda requests and GB-seconds, customer-managed KMS keys per month
weekly seasonality   weekday > weekend for instances, Lambda (45 %), BigQuery (35 %), data transfer (60 %)
untagged spend       the estate's untagged resources (Tags null); an untagged Azure disk
shared charges       AWS Support (``SUPPORT_PER_DAY``, management account) and AWS data transfer per account
                     and region (no resource, no tags)
credits              ``CREDIT`` on the first day of each month (negative; ChargeCategory Credit)
tax                  5 % of each AWS account's billed usage (Support included) a day (ChargeCategory Tax)
purchases            a one-time domain renewal (``DOMAIN_PURCHASE``), and the Savings Plan below
commitment discount  a Compute Savings Plan (``SavingsPlan``) bought all upfront a third into the window:
                     the purchase row bills the whole year (EffectiveCost 0, as every purchase); from then
                     on the instances it covers bill 0 with EffectiveCost at its rate (28 % off list, status
                     Used), and a row a day holds the unused rest of the daily commitment (status Unused, on
                     the plan). So sum(BilledCost - EffectiveCost) over AWS = the purchases - daily
                     commitment * days amortised.
injected spike       ``INJECTED_SPIKE``: the data team's BigQuery costs 6 times its usual on one weekday
                     about ten days before the last day; no other team's service jumps like it
===================  ======================================================================================

Every cost and quantity is rounded to 6 decimals per row, so every sum is exact. ListCost >= EffectiveCost
on every row; BilledCost = EffectiveCost except on purchases and the Savings Plan's rows.
"""

from __future__ import annotations

import functools
import json
import random
import uuid
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Literal

import polars as pl

from cloudforge.focus import columns_of
from cloudforge.settings import DEMO_ACCOUNTS, AwsSettings
from demo.estate import TEAMS, Estate, ResourceSpec
from demo.seeding import ResourceIds

DAYS = 90
MIN_DAYS = 28  # the Savings Plan (a third in) and the spike (about ten days back) fall inside the window
PLACES = Decimal("0.000001")  # every cost and quantity is rounded to this per row
CENT = Decimal("0.01")
ONE = Decimal(1)

FOCUS_VERSION = "1.2"  # the demo writes every column of this version, in the specification's order
FOCUS_COLUMNS = tuple(c.name for c in columns_of(FOCUS_VERSION))
# ... and the five extension columns AWS adds in its FOCUS export
AWS_COLUMNS = ("x_CostCategories", "x_Discounts", "x_Operation", "x_ServiceCode", "x_UsageType")
DECIMAL_COLUMNS = frozenset(c.name for c in columns_of(FOCUS_VERSION) if c.kind == "decimal")
DATETIME_COLUMNS = frozenset(c.name for c in columns_of(FOCUS_VERSION) if c.kind == "datetime")
# Prices are in the billing currency, so each pricing-currency column repeats its billing-currency one.
IN_PRICING_CURRENCY = {
    "PricingCurrencyContractedUnitPrice": "ContractedUnitPrice",
    "PricingCurrencyEffectiveCost": "EffectiveCost",
    "PricingCurrencyListUnitPrice": "ListUnitPrice",
}
DECIMAL_SCALE = 10  # unit prices have up to 10 decimals (Lambda's per GB-second)


@dataclass(frozen=True)
class Spike:
    """One team's service costing ``factor`` times its usual on one weekday, about ``days_ago`` days back."""

    provider: str
    team: str
    service: str  # ServiceName
    factor: int
    days_ago: int

    def day(self, end: date) -> date:
        """The spike's day in a window ending before ``end``: ``days_ago`` back, moved back to a weekday."""
        day = end - timedelta(days=self.days_ago)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day


INJECTED_SPIKE = Spike(provider="gcp", team="data", service="BigQuery", factor=6, days_ago=10)

MANAGEMENT_ACCOUNT = DEMO_ACCOUNTS[0]  # the payer: consolidated billing, Support, the Savings Plan
SUPPORT_PER_DAY = Decimal("30.00")
CREDIT = Decimal("-150.00")
TAX_RATE = Decimal("0.05")
DOMAIN_PURCHASE = Decimal("13.00")
SAVINGS_PLAN_RATE = Decimal("0.72")  # of list: 28 % off
WEEKEND_SHARE = Decimal("0.5")  # dev and staging machines run half of each weekend day


def _prices(table: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(price) for key, price in table.items()}


EC2_HOURLY = _prices({
    "t3.micro": "0.0104", "t3.medium": "0.0416", "m5.large": "0.096", "m5.xlarge": "0.192",
    "c5.2xlarge": "0.34", "r5.large": "0.126",
})  # fmt: skip
RDS_HOURLY = _prices({
    "db.t3.micro": "0.017", "db.t3.medium": "0.068", "db.m5.large": "0.171", "db.r5.xlarge": "0.50",
})  # fmt: skip
EBS_GB_MONTH = _prices({"gp2": "0.10", "gp3": "0.08", "st1": "0.045"})
AWS_PRICES = _prices({
    "snapshot_gb_month": "0.05", "idle_ip_hour": "0.005", "rds_gb_month": "0.115", "s3_gb_month": "0.023",
    "lb_hour": "0.0225", "lambda_request": "0.0000002", "lambda_gb_second": "0.0000166667",
    "kms_key_month": "1.00", "transfer_out_gb": "0.09",
})  # fmt: skip
EC2 = "Amazon Elastic Compute Cloud"
RDS = "Amazon Relational Database Service"
S3 = "Amazon Simple Storage Service"
ELB = "Elastic Load Balancing"
LAMBDA = "AWS Lambda"
KMS = "AWS Key Management Service"
TRANSFER = "AWS Data Transfer"
EBS = "Amazon Elastic Block Store"
VPC = "Amazon Virtual Private Cloud"  # bills idle public IPv4 addresses
AWS_SERVICE_CODES = {  # ServiceName -> x_ServiceCode
    EC2: "AmazonEC2", EBS: "AmazonEC2", VPC: "AmazonVPC", RDS: "AmazonRDS", S3: "AmazonS3", ELB: "AWSELB",
    LAMBDA: "AWSLambda", KMS: "awskms", TRANSFER: "AWSDataTransfer",
}  # fmt: skip
# FOCUS 1.2: a ServiceName has one ServiceCategory (Sku.category, AccountCharge.service_category) and one
# ServiceSubcategory, one of that category's in cloudforge.focus.SERVICE_SUBCATEGORIES.
SERVICE_SUBCATEGORIES = {
    EC2: "Virtual Machines", EBS: "Block Storage", VPC: "Network Connectivity", RDS: "Relational Databases",
    S3: "Object Storage", ELB: "Application Networking", LAMBDA: "Serverless Compute", KMS: "Secret Management",
    TRANSFER: "Network Connectivity", "AWS Support (Business)": "Support", "Tax": "Other (Other)",
    "Savings Plans for AWS Compute usage": "Other (Compute)", "Amazon Route 53": "Network Routing",
    "Virtual Machines": "Virtual Machines", "Managed Disks": "Block Storage", "Storage": "Object Storage",
    "SQL Database": "Relational Databases", "Compute Engine": "Virtual Machines", "Cloud Storage": "Object Storage",
    "BigQuery": "Analytics Platforms",
}  # fmt: skip
AWS_REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)", "us-west-2": "US West (Oregon)", "eu-west-1": "Europe (Ireland)",
}  # fmt: skip
USAGE_TYPE_PREFIX = {"us-east-1": "", "us-west-2": "USW2-", "eu-west-1": "EU-"}  # as AWS prefixes usage types
AWS_RESOURCE_TYPES = {
    "ec2_instance": "Instance", "ebs_volume": "Volume", "ebs_snapshot": "Snapshot",
    "elastic_ip": "Elastic IP", "rds_instance": "DB Instance", "s3_bucket": "Bucket",
    "load_balancer": "Load Balancer", "lambda_function": "Function", "kms_key": "Key",
}  # fmt: skip


@dataclass(frozen=True)
class Provider:
    key: str  # aws | azure | gcp, as ingestion slugs ProviderName
    name: str  # ProviderName, PublisherName and InvoiceIssuerName (the provider invoices its own charges)
    billing_account_id: str
    billing_account_name: str
    billing_account_type: str
    sub_account_type: str
    invoice_prefix: str  # InvoiceId: the prefix, then the billing period (one invoice per account a month)


AWS = Provider(
    "aws", "AWS", MANAGEMENT_ACCOUNT, "CloudForge Demo Organization", "Management Account", "Member Account",
    "EUINUS",
)  # fmt: skip
AZURE_ACCOUNT = "/providers/Microsoft.Billing/billingAccounts/80912345"
AZURE = Provider(
    "azure", "Microsoft", AZURE_ACCOUNT, "CloudForge Demo EA", "Billing Account", "Subscription", "G0"
)
GCP = Provider(
    "gcp", "Google Cloud", "01D3M0-C10UDF-0RGE42", "CloudForge Demo Billing", "Billing Account", "Project", "5"
)  # fmt: skip


@dataclass(frozen=True)
class Sku:
    """What a meter charges for."""

    service: str  # ServiceName
    category: str  # ServiceCategory
    usage_type: str
    unit: str  # PricingUnit and ConsumedUnit
    price: Decimal  # list price per unit, USD

    @property
    def description(self) -> str:
        return f"${self.price} per {self.unit} of {self.usage_type}"


@dataclass(frozen=True)
class Meter:
    """A daily quantity of a SKU: ``amount`` a day, or a month prorated over the month's days."""

    sku: Sku
    amount: Decimal
    per: Literal["day", "month"] = "day"
    weekend: Decimal = ONE  # factor on Saturdays and Sundays
    noise: float = 0.0  # uniform relative daily noise, +- this
    growth: Decimal = Decimal(0)  # relative growth per day of the window


@dataclass(frozen=True)
class Billed:
    """A billed resource, or without ``resource_id`` a usage not tied to one, and its meters."""

    provider: Provider
    account_id: str
    account_name: str
    region: str
    region_name: str
    resource_id: str | None  # FOCUS ResourceId
    name: str | None  # FOCUS ResourceName
    resource_type: str | None
    tags: dict[str, str]  # as the owner wrote them
    team: str | None  # the canonical team, for the injected spike
    meters: tuple[Meter, ...]
    key: str  # seeds its random draws; independent of the ids a provider assigned
    zone: str | None = None


@dataclass(frozen=True)
class SavingsPlan:
    """The Compute Savings Plan: a year bought all upfront on ``purchase_day``, ``hourly`` USD an hour."""

    arn: str
    hourly: Decimal
    purchase_day: date
    covered: frozenset[str]  # ARNs of the instances it covers, every hour of every day

    NAME = "Compute Savings Plan (1 year, All Upfront)"
    SERVICE = "Savings Plans for AWS Compute usage"

    @property
    def upfront(self) -> Decimal:
        return self.hourly * 24 * 365

    @property
    def daily(self) -> Decimal:
        return self.hourly * 24

    def amortised_days(self, end: date) -> int:
        return (end - self.purchase_day).days


@dataclass(frozen=True)
class DemoBilling:
    start: date  # the first charged day
    days: int
    seed: int
    frames: dict[str, pl.DataFrame]  # provider key -> FOCUS rows
    savings_plan: SavingsPlan | None  # None only for an estate with no instance running all week
    spike_day: date

    @property
    def end(self) -> date:
        """The day after the last charged day: the 'today' the billing is as of."""
        return self.start + timedelta(days=self.days)


def generate_billing(
    estate: Estate, resource_ids: ResourceIds, start: date, days: int = DAYS, seed: int = 42
) -> DemoBilling:
    """FOCUS charges for ``days`` days from ``start``: AWS from the estate, Azure and GCP from their own."""
    if days < MIN_DAYS:
        raise ValueError(f"demo billing needs at least {MIN_DAYS} days, got {days}")
    window = [start + timedelta(days=i) for i in range(days)]
    spike_day = INJECTED_SPIKE.day(start + timedelta(days=days))
    aws = list(_aws_billed(estate, resource_ids, seed))
    plan = _savings_plan(aws, start + timedelta(days=days // 3), seed)
    frames = {
        "aws": _frame(_aws_charges(_daily_usage(aws, window, seed, spike_day), plan, start), AWS_COLUMNS),
        "azure": _frame(_flat(_daily_usage(list(_azure_billed(seed)), window, seed, spike_day))),
        "gcp": _frame(_flat(_daily_usage(list(_gcp_billed(seed)), window, seed, spike_day))),
    }
    return DemoBilling(start, days, seed, frames, plan, spike_day)


def expected_billing_totals(
    billing: DemoBilling, period: Literal["day", "month"] = "day", cost: str = "BilledCost"
) -> dict[tuple[str, date], Decimal]:
    """(provider, day or first day of the billing period) -> the exact sum of ``cost`` there."""
    column = "ChargePeriodStart" if period == "day" else "BillingPeriodStart"
    totals: dict[tuple[str, date], Decimal] = {}
    for provider, frame in billing.frames.items():
        sums = frame.group_by(pl.col(column).dt.date()).agg(pl.col(cost).sum())
        totals.update({(provider, at): total for at, total in sums.iter_rows()})
    return totals


# --- AWS ----------------------------------------------------------------------------------------------------


def _aws_billed(estate: Estate, resource_ids: ResourceIds, seed: int) -> Iterator[Billed]:
    """The estate's billable resources, then data transfer per account and region (no resource)."""
    names = _account_names()
    for spec in estate.resources:
        key = f"{spec.account_id}/{spec.region}/{spec.resource_type}/{spec.name}"
        meters = _aws_meters(spec, random.Random(f"{seed}/{key}")) if spec.managed_by == "estate" else ()
        if meters:
            resource_id, arn = resource_ids[(*spec.key, spec.name)]
            yield Billed(
                AWS, spec.account_id, names.get(spec.account_id, spec.account_id), spec.region,
                AWS_REGION_NAMES.get(spec.region, spec.region), arn, resource_id,
                AWS_RESOURCE_TYPES[spec.resource_type], spec.raw_tags, spec.canonical_tags.get("team"),
                meters, key, spec.attributes.get("availability_zone"),
            )  # fmt: skip
    transfer = Sku(TRANSFER, "Networking", "DataTransfer-Out-Bytes", "GB", AWS_PRICES["transfer_out_gb"])
    for account_id, region in sorted({(s.account_id, s.region) for s in estate.of_type("vpc")}):
        key = f"{account_id}/{region}/transfer"
        gigabytes = Decimal(random.Random(f"{seed}/{key}").randint(20, 150))
        meter = Meter(transfer, gigabytes, weekend=Decimal("0.6"), noise=0.1)
        yield Billed(
            AWS, account_id, names.get(account_id, account_id), region, AWS_REGION_NAMES.get(region, region),
            None, None, None, {}, None, (meter,), key,
        )  # fmt: skip


@functools.cache
def _account_names() -> dict[str, str]:
    return {account.id: account.name for account in AwsSettings().accounts}


def _aws_meters(spec: ResourceSpec, rng: random.Random) -> tuple[Meter, ...]:
    """What AWS charges the resource a day; nothing for free ones (networks, IAM, stopped machines)."""
    a, p = spec.attributes, AWS_PRICES
    match spec.resource_type:
        case "ec2_instance" if a["state"] == "running":
            kind = a["instance_type"]
            always_on = spec.canonical_tags.get("env") in (None, "prod")
            sku = Sku(EC2, "Compute", f"BoxUsage:{kind}", "Hours", EC2_HOURLY[kind])
            return (Meter(sku, Decimal(24), weekend=ONE if always_on else WEEKEND_SHARE),)
        case "ebs_volume":
            kind = a["volume_type"]
            sku = Sku(EBS, "Storage", f"EBS:VolumeUsage.{kind}", "GB-Months", EBS_GB_MONTH[kind])
            return (Meter(sku, Decimal(a["size_gib"]), per="month"),)
        case "ebs_snapshot":
            stored = Decimal(a["size_gib"]) * rng.randint(30, 80) / 100  # snapshots are incremental
            sku = Sku(EBS, "Storage", "EBS:SnapshotUsage", "GB-Months", p["snapshot_gb_month"])
            return (Meter(sku, stored, per="month"),)
        case "elastic_ip" if a["associated_with"] is None:
            sku = Sku(VPC, "Networking", "ElasticIP:IdleAddress", "Hours", p["idle_ip_hour"])
            return (Meter(sku, Decimal(24)),)
        case "rds_instance":
            kind, copies = a["instance_class"], 1 + a["multi_az"]
            usage = "Multi-AZUsage" if a["multi_az"] else "InstanceUsage"
            storage = "RDS:Multi-AZ-GP2-Storage" if a["multi_az"] else "RDS:GP2-Storage"
            hours = Sku(RDS, "Databases", f"{usage}:{kind}", "Hours", RDS_HOURLY[kind] * copies)
            gigabytes = Sku(RDS, "Databases", storage, "GB-Months", p["rds_gb_month"] * copies)
            allocated = Decimal(a["allocated_storage_gib"])
            return Meter(hours, Decimal(24)), Meter(gigabytes, allocated, per="month")
        case "s3_bucket":
            stored = Decimal(rng.choice((20, 150, 600, 1500, 4000, 9000)))
            sku = Sku(S3, "Storage", "TimedStorage-ByteHrs", "GB-Months", p["s3_gb_month"])
            return (Meter(sku, stored, per="month", growth=Decimal("0.002")),)
        case "load_balancer":
            return (Meter(Sku(ELB, "Networking", "LoadBalancerUsage", "Hours", p["lb_hour"]), Decimal(24)),)
        case "lambda_function":
            requests = Decimal(rng.randint(2, 40) * 100_000)
            gb_seconds = requests * rng.choice((50, 120, 300, 800)) / 1000 * a["memory_mb"] / 1024
            calls = Sku(LAMBDA, "Compute", "Request", "Requests", p["lambda_request"])
            compute = Sku(LAMBDA, "Compute", "Lambda-GB-Second", "GB-Seconds", p["lambda_gb_second"])
            weekly = {"weekend": Decimal("0.45"), "noise": 0.08}
            return Meter(calls, requests, **weekly), Meter(compute, gb_seconds, **weekly)
        case "kms_key" if not a["aws_managed"]:
            sku = Sku(KMS, "Security", "KMS-Keys", "Key-Months", p["kms_key_month"])
            return (Meter(sku, ONE, per="month"),)
    return ()


def _savings_plan(billed: list[Billed], purchase_day: date, seed: int) -> SavingsPlan | None:
    """A plan for 80 % of what the instances running all week cost at its rate, covering the dearest of them
    that fit its commitment, whole."""
    always_on = sorted(
        (m.sku.price * SAVINGS_PLAN_RATE, b.resource_id)
        for b in billed
        for m in b.meters
        if m.sku.usage_type.startswith("BoxUsage:") and m.weekend == ONE
    )
    hourly = (sum(rate for rate, _ in always_on) * Decimal("0.8")).quantize(CENT, ROUND_DOWN)
    covered, used = set(), Decimal(0)
    for rate, arn in reversed(always_on):
        if used + rate <= hourly:
            covered.add(arn)
            used += rate
    if not covered:
        return None
    plan_id = uuid.UUID(int=random.Random(f"{seed}/savings-plan").getrandbits(128), version=4)
    arn = f"arn:aws:savingsplans::{MANAGEMENT_ACCOUNT}:savingsplan/{plan_id}"
    return SavingsPlan(arn, hourly, purchase_day, frozenset(covered))


@dataclass(frozen=True)
class AccountCharge:
    """A kind of AWS charge made to an account rather than to a resource."""

    category: str  # ChargeCategory
    frequency: str  # ChargeFrequency
    service: str
    service_category: str
    description: str
    resource: str | None = None  # ResourceId (the Savings Plan's charges name the plan)


SUPPORT = AccountCharge(
    "Usage", "Recurring", "AWS Support (Business)", "Management and Governance", "Business support, a day"
)
PROMOTION = AccountCharge("Credit", "One-Time", EC2, "Compute", "Promotional credit")
DOMAIN = AccountCharge(
    "Purchase", "One-Time", "Amazon Route 53", "Networking", "Domain renewal", resource="cloudforge.example"
)
TAX = AccountCharge("Tax", "Recurring", "Tax", "Other", f"US sales tax ({TAX_RATE:.0%})")
PLAN_FEE = AccountCharge("Purchase", "One-Time", SavingsPlan.SERVICE, "Compute", "Savings Plan upfront fee")
PLAN_UNUSED = AccountCharge("Usage", "Usage-Based", SavingsPlan.SERVICE, "Compute", "Savings Plan unused")


def _aws_charges(
    daily_usage: Iterable[tuple[date, list[dict]]], plan: SavingsPlan | None, start: date
) -> Iterator[dict]:
    """Per day: usage (the Savings Plan applied), its unused commitment, Support, the one-offs, then tax."""
    for day, usage in daily_usage:
        bought = plan is not None and day >= plan.purchase_day
        covered = plan.covered if bought else frozenset()
        charges = [_covered(row, plan) if row["ResourceId"] in covered else row for row in usage]
        if bought:
            if day == plan.purchase_day:
                charges.append(_account_charge(PLAN_FEE, day, MANAGEMENT_ACCOUNT, plan.upfront, plan))
            used = sum(row["EffectiveCost"] for row in charges if row["CommitmentDiscountStatus"] == "Used")
            unused = _account_charge(PLAN_UNUSED, day, MANAGEMENT_ACCOUNT, plan.daily - used, plan)
            charges.append(unused | {"BilledCost": Decimal(0), "CommitmentDiscountStatus": "Unused"})
        charges.append(_account_charge(SUPPORT, day, MANAGEMENT_ACCOUNT, SUPPORT_PER_DAY))
        if day.day == 1:
            charges.append(_account_charge(PROMOTION, day, MANAGEMENT_ACCOUNT, CREDIT))
        if day == start + timedelta(days=10):
            charges.append(_account_charge(DOMAIN, day, MANAGEMENT_ACCOUNT, DOMAIN_PURCHASE))
        taxed: dict[str, Decimal] = defaultdict(Decimal)
        for row in charges:
            if row["ChargeCategory"] == "Usage":
                taxed[row["SubAccountId"]] += row["BilledCost"]
        for account_id, usage_cost in sorted(taxed.items()):
            charges.append(_account_charge(TAX, day, account_id, (usage_cost * TAX_RATE).quantize(CENT)))
        yield from charges


def _covered(row: dict, plan: SavingsPlan) -> dict:
    """A usage row the Savings Plan covers: billed 0 (the purchase billed it), effective at its rate."""
    rate = (row["ListUnitPrice"] * SAVINGS_PLAN_RATE).quantize(PLACES)
    effective = (rate * row["PricingQuantity"]).quantize(PLACES)
    return row | _commitment(plan) | {"BilledCost": Decimal(0), "EffectiveCost": effective} | {
        "CommitmentDiscountStatus": "Used"
    }


def _commitment(plan: SavingsPlan) -> dict:
    return {
        "CommitmentDiscountId": plan.arn,
        "CommitmentDiscountName": SavingsPlan.NAME,
        "CommitmentDiscountCategory": "Spend",
        "CommitmentDiscountType": "Compute Savings Plan",
        "PricingCategory": "Committed",
    }


def _account_charge(
    kind: AccountCharge, day: date, account_id: str, cost: Decimal, plan: SavingsPlan | None = None
) -> dict:
    """A charge of ``kind`` to an account (no region, no tags); the plan's are charged to the plan.

    A purchase pays ahead for what it covers: billed now, effective 0 (FOCUS 1.2)."""
    resource = plan.arn if plan else kind.resource
    row = _charge(AWS, day) | {
        "ChargeCategory": kind.category,
        "ChargeFrequency": kind.frequency,
        "ChargeDescription": kind.description,
        "BilledCost": cost,
        "EffectiveCost": Decimal(0) if kind.category == "Purchase" else cost,
        "ListCost": cost,
        "ContractedCost": cost,
        "ServiceName": kind.service,
        "ServiceCategory": kind.service_category,
        "ServiceSubcategory": SERVICE_SUBCATEGORIES[kind.service],
        "SubAccountId": account_id,
        "SubAccountName": _account_names().get(account_id, account_id),
        "SubAccountType": AWS.sub_account_type,
        "ResourceId": resource,
        "ResourceName": resource,
    }
    return row | (_commitment(plan) if plan else {})


# --- Azure and GCP ------------------------------------------------------------------------------------------

ENVS = ("prod", "dev")
AZURE_REGIONS = {"eastus": "East US", "westeurope": "West Europe"}
GCP_REGIONS = {"us-central1": "Iowa", "europe-west1": "Belgium"}
AZURE_VM = {"prod": ("Standard_D4s_v5", Decimal("0.192")), "dev": ("Standard_B2s", Decimal("0.0416"))}
GCP_VM = {"prod": ("n2-standard-4", Decimal("0.194236")), "dev": ("e2-medium", Decimal("0.033503"))}


def _azure_billed(seed: int) -> Iterator[Billed]:
    """Per team and env a subscription: a VM and its disk, a storage account, SQL for two teams' prod.

    The search team writes 'Team' and 'Environment'; the platform team left an old disk untagged."""
    rng = random.Random(f"{seed}/azure")
    disk_sku = Sku("Managed Disks", "Storage", "P10 LRS Disk", "Disk-Months", Decimal("19.71"))
    disk = Meter(disk_sku, ONE, per="month")
    blobs = Sku("Storage", "Storage", "Hot LRS Data Stored", "GB-Months", Decimal("0.0184"))
    vcores = Sku("SQL Database", "Databases", "vCore Hours", "Hours", Decimal("0.2522"))
    for team, env, (project, _), (owner, _), region in _team_envs(rng, AZURE_REGIONS):
        subscription = f"/subscriptions/{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        group = f"{subscription}/resourcegroups/{team}-{env}-rg/providers/microsoft."
        team_key, env_key = ("Team", "Environment") if team == "search" else ("team", "env")
        tags = {team_key: team, env_key: env, "project": project, "owner": owner}
        at = functools.partial(_synthetic, AZURE, subscription, f"{team}-{env}", region, AZURE_REGIONS)
        machine = f"{team}-{env}-vm01"
        hours = _machine_hours("Virtual Machines", AZURE_VM, env)
        yield at(f"{group}compute/virtualmachines/{machine}", "Virtual machine", tags, team, hours)
        yield at(f"{group}compute/disks/{machine}-osdisk", "Disk", tags, team, disk)
        if (team, env) == ("platform", "dev"):
            yield at(f"{group}compute/disks/old-jumpbox-osdisk", "Disk", {}, None, disk)
        stored = Meter(blobs, Decimal(rng.choice((200, 800, 3000))), per="month", growth=Decimal("0.001"))
        account = f"{group}storage/storageaccounts/{team}{env}{rng.randint(100, 999)}"
        yield at(account, "Storage account", tags, team, stored)
        if env == "prod" and team in ("payments", "identity"):
            database = f"{group}sql/servers/{team}-sql/databases/{project}"
            yield at(database, "SQL database", tags, team, Meter(vcores, Decimal(48)))


def _gcp_billed(seed: int) -> Iterator[Billed]:
    """Per team and env a project: a VM, a bucket and BigQuery (heavy for the data team), all labelled."""
    rng = random.Random(f"{seed}/gcp")
    blobs = Sku("Cloud Storage", "Storage", "Standard Storage", "GiB-Months", Decimal("0.020"))
    analysis = Sku("BigQuery", "Analytics", "Analysis", "TiB", Decimal("6.25"))
    for team, env, (_, project_tag), (_, owner), region in _team_envs(rng, GCP_REGIONS):
        project = f"{team}-{env}-{rng.randint(1000, 9999)}"
        labels = {"team": team, "env": env, "project": project_tag, "owner": owner.split("@")[0]}
        at = functools.partial(_synthetic, GCP, project, project, region, GCP_REGIONS)
        zone = f"{region}-b"
        machine = f"//compute.googleapis.com/projects/{project}/zones/{zone}/instances/{team}-{env}-1"
        yield at(machine, "Instance", labels, team, _machine_hours("Compute Engine", GCP_VM, env), zone)
        stored = Meter(blobs, Decimal(rng.choice((100, 500, 2500))), per="month", growth=Decimal("0.002"))
        bucket = f"//storage.googleapis.com/projects/_/buckets/{project}-artifacts"
        yield at(bucket, "Bucket", labels, team, stored)
        scanned = Decimal(12) if (team, env) == ("data", "prod") else Decimal(rng.randint(5, 40)) / 100
        dataset = f"//bigquery.googleapis.com/projects/{project}/datasets/{team}_{env}"
        weekly = Meter(analysis, scanned, weekend=Decimal("0.35"), noise=0.06)
        yield at(dataset, "Dataset", labels, team, weekly)


def _team_envs(rng: random.Random, regions: dict[str, str]) -> Iterator[tuple]:
    """(team, env, projects, owners, region) for each team's prod (in the first region) and dev."""
    for team, (projects, owners) in TEAMS.items():
        for env in ENVS:
            region = next(iter(regions)) if env == "prod" else rng.choice(sorted(regions))
            yield team, env, projects, owners, region


def _machine_hours(service: str, sizes: dict[str, tuple[str, Decimal]], env: str) -> Meter:
    """A machine's hours: all day in prod; dev machines stop for half of each weekend day."""
    size, price = sizes[env]
    sku = Sku(service, "Compute", f"{size} Hours", "Hours", price)
    return Meter(sku, Decimal(24), weekend=ONE if env == "prod" else WEEKEND_SHARE)


def _synthetic(
    provider: Provider, account_id: str, account_name: str, region: str, region_names: dict[str, str],
    resource_id: str, resource_type: str, tags: dict[str, str], team: str | None, meter: Meter,
    zone: str | None = None,
) -> Billed:  # fmt: skip
    """A resource of the synthetic Azure and GCP estates, named by the last part of its id."""
    name = resource_id.rsplit("/", 1)[1]
    return Billed(provider, account_id, account_name, region, region_names[region], resource_id, name,
                  resource_type, tags, team, (meter,), resource_id, zone)  # fmt: skip


# --- rows ---------------------------------------------------------------------------------------------------


def _daily_usage(
    billed: list[Billed], window: list[date], seed: int, spike_day: date
) -> Iterator[tuple[date, list[dict]]]:
    """Per day, a usage row per resource and meter; the injected spike multiplies its team's service."""
    noise = {
        (b.key, m.sku.usage_type): _noise(f"{seed}/noise/{b.key}/{m.sku.usage_type}", m.noise, len(window))
        for b in billed
        for m in b.meters
    }
    spike = (INJECTED_SPIKE.provider, INJECTED_SPIKE.team, INJECTED_SPIKE.service)
    for index, day in enumerate(window):
        rows = []
        for b in billed:
            for meter in b.meters:
                quantity = _quantity(meter, day, index) * noise[(b.key, meter.sku.usage_type)][index]
                if day == spike_day and (b.provider.key, b.team, meter.sku.service) == spike:
                    quantity *= INJECTED_SPIKE.factor
                rows.append(_usage(b, meter.sku, day, quantity.quantize(PLACES)))
        yield day, rows


def _flat(daily: Iterable[tuple[date, list[dict]]]) -> Iterator[dict]:
    return (row for _, rows in daily for row in rows)


def _noise(seed: str, spread: float, days: int) -> list[Decimal]:
    """Daily factors 1 +- ``spread`` (4 decimals)."""
    rng = random.Random(seed)
    return [ONE + Decimal(str(round(rng.uniform(-spread, spread), 4))) for _ in range(days)]


def _quantity(meter: Meter, day: date, index: int) -> Decimal:
    amount = meter.amount * (ONE + meter.growth * index)
    if meter.per == "month":
        amount /= monthrange(day.year, day.month)[1]
    return amount * (meter.weekend if day.weekday() >= 5 else ONE)


def _usage(b: Billed, sku: Sku, day: date, quantity: Decimal) -> dict:
    cost = (quantity * sku.price).quantize(PLACES)
    sku_id = _sku_id(b.provider.key, b.region, sku)
    row = _charge(b.provider, day) | {
        "ChargeCategory": "Usage",
        "ChargeFrequency": "Usage-Based",
        "ChargeDescription": sku.description,
        "BilledCost": cost,
        "EffectiveCost": cost,
        "ListCost": cost,
        "ContractedCost": cost,
        "ListUnitPrice": sku.price,
        "ContractedUnitPrice": sku.price,
        "PricingCategory": "Standard",
        "PricingQuantity": quantity,
        "PricingUnit": sku.unit,
        "ConsumedQuantity": quantity,
        "ConsumedUnit": sku.unit,
        "ServiceName": sku.service,
        "ServiceCategory": sku.category,
        "ServiceSubcategory": SERVICE_SUBCATEGORIES[sku.service],
        "SkuId": sku_id,
        "SkuPriceId": f"{sku_id}.ONDEMAND",
        "SubAccountId": b.account_id,
        "SubAccountName": b.account_name,
        "SubAccountType": b.provider.sub_account_type,
        "RegionId": b.region,
        "RegionName": b.region_name,
        "AvailabilityZone": b.zone,
        "ResourceId": b.resource_id,
        "ResourceName": b.name,
        "ResourceType": b.resource_type,
        "Tags": json.dumps(b.tags) if b.tags else None,
    }
    if b.provider is AWS:
        usage_type = USAGE_TYPE_PREFIX.get(b.region, "") + sku.usage_type
        row |= {"x_ServiceCode": AWS_SERVICE_CODES[sku.service], "x_UsageType": usage_type}
    return row


@functools.cache
def _sku_id(provider: str, region: str, sku: Sku) -> str:
    """A stable id per provider, region and usage type (providers' SKU ids are opaque codes too)."""
    name = f"{provider}/{region}/{sku.service}/{sku.usage_type}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:14].upper()


def _charge(provider: Provider, day: date) -> dict:
    """What every charge of ``provider`` on ``day`` shares: who bills, the periods, the currency."""
    period = day.replace(day=1)
    return {
        "ProviderName": provider.name,
        "PublisherName": provider.name,
        "InvoiceIssuerName": provider.name,
        "InvoiceId": f"{provider.invoice_prefix}{period:%Y%m}",
        "BillingAccountId": provider.billing_account_id,
        "BillingAccountName": provider.billing_account_name,
        "BillingAccountType": provider.billing_account_type,
        "BillingCurrency": "USD",
        "PricingCurrency": "USD",
        "BillingPeriodStart": period,
        "BillingPeriodEnd": (period + timedelta(days=32)).replace(day=1),
        "ChargePeriodStart": day,
        "ChargePeriodEnd": day + timedelta(days=1),
        "CommitmentDiscountStatus": None,
    }


def _frame(rows: Iterable[dict], extensions: tuple[str, ...] = ()) -> pl.DataFrame:
    """Rows (dicts by FOCUS name, period bounds as dates) as a typed frame: decimals, UTC midnights, text.

    Built column by column, decimals from their text: polars converts Decimal objects one by one, slowly.
    """
    rows = list(rows)
    columns = []
    for name in (*FOCUS_COLUMNS, *extensions):
        values = [row.get(IN_PRICING_CURRENCY.get(name, name)) for row in rows]
        if name in DECIMAL_COLUMNS:
            text = pl.Series(name, [None if v is None else str(v) for v in values], pl.String)
            columns.append(text.str.to_decimal(scale=DECIMAL_SCALE))
        elif name in DATETIME_COLUMNS:
            days = pl.Series(name, values, pl.Date).cast(pl.Datetime("us"))
            columns.append(days.dt.replace_time_zone("UTC"))
        else:
            columns.append(pl.Series(name, values, pl.String))
    return pl.DataFrame(columns)
