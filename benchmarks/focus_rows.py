"""Deterministic FOCUS billing at any volume, written as the providers deliver it: Parquet, one file per slice.

A catalogue of billing lines (a resource and what it is charged for, or a charge to an account: support, tax,
untagged data transfer) is charged once a day over ``DAYS`` days, in three providers, six billing accounts
and 28 sub accounts. Only the catalogue (rows / ``DAYS`` lines) is built in Python; the rows are its cross
join with the days, computed by polars. A row's values depend only on its line and day (the daily noise is a
seeded hash of both), so regenerating a billing period restates it with the same rows, plus any new day.

``rows`` fixes the catalogue: ``ceil(rows / DAYS)`` lines, and the last day holds only the first lines that
make the total exactly ``rows``. The window ends mid-month (``LAST_DAY``), so the next day falls in the open
billing period, as in a daily restatement.

Files are typed as each provider writes them: AWS as its Data Exports do (doubles, zone-less millisecond
timestamps, Tags as a map, its ``x_`` columns), Azure with doubles, GCP with decimals; Tags elsewhere as JSON.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from cloudforge.focus import columns_of
from cloudforge.settings import DEMO_ACCOUNTS
from demo.billing import (
    AWS_COLUMNS,
    AWS_REGION_NAMES,
    AWS_SERVICE_CODES,
    EC2,
    EC2_HOURLY,
    ELB,
    KMS,
    LAMBDA,
    RDS,
    S3,
    TRANSFER,
)
from demo.estate import TEAMS

FOCUS_COLUMNS = tuple(c.name for c in columns_of("1.0"))  # written as FOCUS 1.0 exports are, in spec order
DAYS = 90
LAST_DAY = date(2025, 3, 15)
FIRST_DAY = LAST_DAY - timedelta(days=DAYS - 1)
NOISE_SEED = 0x42_696C_6C  # the daily noise of a line: a hash of (line, day) under this seed
ENVS = ("prod", "prod", "staging", "dev")  # weighted: most spend is production
TAG_PAIR = pa.struct([("key", pa.string()), ("value", pa.string())])


@dataclass(frozen=True)
class BillingAccount:
    provider: str  # aws | azure | gcp
    id: str
    name: str
    currency: str
    sub_accounts: tuple[tuple[str, str], ...]  # (id, name)


@dataclass(frozen=True)
class Meter:
    """What a resource is charged for a day: ``quantity`` (scaled per resource) of ``unit`` at ``price``."""

    service: str
    category: str
    resource_type: str
    usage_type: str
    unit: str
    price: float
    quantity: float
    id_path: str  # the resource id's path to the resource name, per provider (see ``_resource_id``)
    weight: int  # how common such resources are


PROVIDER_NAMES = {
    "aws": ("AWS", "AWS"),
    "azure": ("Microsoft", "Microsoft"),
    "gcp": ("Google Cloud", "Google"),
}
REGIONS = {
    "aws": AWS_REGION_NAMES,
    "azure": {"eastus": "East US", "westeurope": "West Europe", "northeurope": "North Europe"},
    "gcp": {"us-central1": "Iowa", "europe-west1": "Belgium", "asia-northeast1": "Tokyo"},
}


def _accounts() -> tuple[BillingAccount, ...]:
    rng = random.Random("bench/accounts")
    aws_ids = [*DEMO_ACCOUNTS, *(str(rng.randrange(10**11, 10**12)) for _ in range(8))]
    subscriptions = [f"/subscriptions/{rng.getrandbits(128):032x}" for _ in range(9)]
    projects = [f"{team}-{env}-{rng.randint(1000, 9999)}" for team in TEAMS for env in ("prod", "dev")][:8]

    def named(ids: list[str], label: str) -> tuple[tuple[str, str], ...]:
        return tuple((i, f"{label} {n + 1}") for n, i in enumerate(ids))

    return (
        BillingAccount("aws", "999999999999", "CloudForge Organization", "USD", named(aws_ids[:7], "aws account")),
        BillingAccount("aws", "888888888888", "CloudForge Labs", "USD", named(aws_ids[7:], "labs account")),
        BillingAccount("azure", "/providers/Microsoft.Billing/billingAccounts/80912345", "CloudForge EA", "USD",
                       named(subscriptions[:6], "subscription")),
        BillingAccount("azure", "/providers/Microsoft.Billing/billingAccounts/80954321", "CloudForge Europe",
                       "EUR", named(subscriptions[6:], "subscription")),
        BillingAccount("gcp", "01D3M0-C10UDF-0RGE42", "CloudForge Billing", "USD", named(projects[:5], "project")),
        BillingAccount("gcp", "01B3NC-HL4B5X-000042", "CloudForge Research", "USD", named(projects[5:], "project")),
    )  # fmt: skip


ACCOUNTS = _accounts()
ACCOUNT_WEIGHTS = (45, 15, 15, 5, 15, 5)  # share of the resources per billing account, in ACCOUNTS' order

METERS: dict[str, tuple[Meter, ...]] = {
    "aws": (
        *(Meter(EC2, "Compute", "Instance", f"BoxUsage:{kind}", "Hrs", float(price), 24, "ec2:instance/i-", 5)
          for kind, price in EC2_HOURLY.items()),
        Meter(EC2, "Storage", "Volume", "EBS:VolumeUsage.gp3", "GB-Mo", 0.08, 10, "ec2:volume/vol-", 20),
        Meter(EC2, "Storage", "Snapshot", "EBS:SnapshotUsage", "GB-Mo", 0.05, 6, "ec2:snapshot/snap-", 10),
        Meter(EC2, "Networking", "Elastic IP", "ElasticIP:IdleAddress", "Hrs", 0.005, 24, "ec2:eip/eipalloc-", 2),
        Meter(RDS, "Databases", "DB Instance", "InstanceUsage:db.m5.large", "Hrs", 0.171, 24, "rds:db:db-", 5),
        Meter(S3, "Storage", "Bucket", "TimedStorage-ByteHrs", "GB-Mo", 0.023, 40, "s3:::bucket-", 10),
        Meter(LAMBDA, "Compute", "Function", "Request", "Requests", 0.0000002, 400_000, "lambda:function:fn-", 8),
        Meter(ELB, "Networking", "Load Balancer", "LoadBalancerUsage", "Hrs", 0.0225, 24,
              "elasticloadbalancing:loadbalancer/app/lb-", 4),
        Meter(KMS, "Security", "Key", "KMS-Keys", "Keys", 1.0, 1 / 30, "kms:key/key-", 3),
    ),
    "azure": (
        Meter("Virtual Machines", "Compute", "Virtual machine", "D4s v5", "Hours", 0.192, 24,
              "microsoft.compute/virtualmachines/vm-", 25),
        Meter("Storage", "Storage", "Disk", "P10 LRS Disk", "1/Month", 19.71, 1 / 30, "microsoft.compute/disks/disk-",
              20),
        Meter("Storage", "Storage", "Storage account", "Hot LRS Data Stored", "GB/Month", 0.0184, 30,
              "microsoft.storage/storageaccounts/st", 12),
        Meter("SQL Database", "Databases", "SQL database", "vCore", "Hours", 0.2522, 48,
              "microsoft.sql/servers/sql/databases/db-", 5),
    ),
    "gcp": (
        Meter("Compute Engine", "Compute", "Instance", "N2 Instance Core running", "Hours", 0.194236, 24,
              "compute:zones/a/instances/vm-", 25),
        Meter("Cloud Storage", "Storage", "Bucket", "Standard Storage", "GiBy.mo", 0.02, 30, "storage:buckets/b-", 15),
        Meter("BigQuery", "Analytics", "Dataset", "Analysis", "TiBy", 6.25, 0.2, "bigquery:datasets/ds_", 8),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class GeneratedSlice:
    provider: str
    billing_account_id: str
    billing_period: date
    rows: int
    path: Path


def catalogue(rows: int, seed: int = 42) -> pl.DataFrame:
    """The ``ceil(rows / DAYS)`` billing lines: account charges first, then resources."""
    lines = math.ceil(rows / DAYS)
    shared = list(_account_lines())
    if lines < 2 * len(shared):
        raise ValueError(
            f"rows must be at least {2 * len(shared) * DAYS:,}, so that one billing line in two is a resource"
        )
    rng = random.Random(seed)
    resources = [_resource(rng, n) for n in range(lines - len(shared))]
    return pl.DataFrame([*shared, *resources], infer_schema_length=None).with_row_index("line")


def write_slices(
    lines: pl.DataFrame, rows: int, directory: Path, days: tuple[date, date] = (FIRST_DAY, LAST_DAY)
) -> list[GeneratedSlice]:
    """Write the rows of the days from ``days[0]`` to ``days[1]`` as one Parquet file per slice."""
    written = []
    last_day_lines = rows - lines.height * (DAYS - 1)
    for (provider, account_id), part in sorted(
        lines.partition_by("provider", "BillingAccountId", as_dict=True).items()
    ):
        for period, first, last in _periods(*days):
            frame = _charges(part, first, last, last_day_lines)
            folder = directory / provider / "".join(c for c in account_id if c.isalnum())[-16:]
            path = folder / f"BILLING_PERIOD={period:%Y-%m}" / "focus-00001.snappy.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(_as_delivered(provider, frame), path, compression="snappy")
            written.append(GeneratedSlice(provider, account_id, period, frame.height, path))
    return written


def _account_lines() -> Iterator[dict]:
    """Per AWS payer a daily Support charge; per sub account tax; per AWS sub account and region untagged
    data transfer. None has a resource or tags."""
    for account in ACCOUNTS:
        if account.provider == "aws":
            yield _line(account, account.sub_accounts[0], "AWS Support (Business)", "Management and Governance",
                        "Recurring", "Support", "Dollars", 30.0, 1)  # fmt: skip
        for sub_account in account.sub_accounts:
            yield _line(
                account, sub_account, "Tax", "Other", "Recurring", "Tax", "Dollars", 4.0, 1, category="Tax"
            )
            if account.provider == "aws":
                for region in list(REGIONS["aws"])[:2]:
                    yield _line(account, sub_account, TRANSFER, "Networking", "Usage-Based",
                                "DataTransfer-Out-Bytes", "GB", 0.09, 80, region=region, noise=0.2)  # fmt: skip


def _line(
    account: BillingAccount, sub_account: tuple[str, str], service: str, service_category: str, frequency: str,
    usage_type: str, unit: str, price: float, quantity: float, *, category: str = "Usage", region: str | None = None,
    noise: float = 0.0,
) -> dict:  # fmt: skip
    return {
        **_account_columns(account, sub_account),
        "ChargeCategory": category, "ChargeFrequency": frequency, "ServiceName": service,
        "ServiceCategory": service_category, "usage_type": usage_type, "PricingUnit": unit, "price": price,
        "quantity": quantity, "RegionId": region, "RegionName": REGIONS[account.provider].get(region),
        "AvailabilityZone": None, "ResourceId": None, "ResourceName": None, "ResourceType": None, "Tags": None,
        "tag_pairs": None, "weekend": 1.0, "noise": noise, "covered": False,
    }  # fmt: skip


def _resource(rng: random.Random, n: int) -> dict:
    """A resource: its account, meter, region, size and tags, drawn from ``rng``."""
    account = rng.choices(ACCOUNTS, ACCOUNT_WEIGHTS)[0]
    sub_account = rng.choice(account.sub_accounts)
    meters = METERS[account.provider]
    meter = rng.choices(meters, [m.weight for m in meters])[0]
    region = rng.choice(list(REGIONS[account.provider]))
    team = rng.choice(list(TEAMS))
    (projects, owners), env = TEAMS[team], rng.choice(ENVS)
    name = f"{meter.id_path.rpartition('/')[2]}{n:010d}"
    tags = _tags(rng, team, rng.choice(projects), env, rng.choice(owners), name)
    pairs = [{"key": key, "value": value} for key, value in tags.items()] if tags else None  # AWS: a map
    interruptible = env != "prod" and meter.unit in ("Hrs", "Hours")
    machine = meter.service == EC2 and meter.category == "Compute"
    return {
        **_account_columns(account, sub_account),
        "ChargeCategory": "Usage", "ChargeFrequency": "Usage-Based", "ServiceName": meter.service,
        "ServiceCategory": meter.category, "usage_type": meter.usage_type, "PricingUnit": meter.unit,
        "price": meter.price, "quantity": meter.quantity * rng.choice((0.5, 1, 1, 2, 4, 16)), "RegionId": region,
        "RegionName": REGIONS[account.provider][region],
        "AvailabilityZone": f"{region}a" if meter.category == "Compute" and account.provider == "aws" else None,
        "ResourceId": _resource_id(account.provider, meter.id_path, region, sub_account[0], team, env, name),
        "ResourceName": name, "ResourceType": meter.resource_type,
        "Tags": json.dumps(tags) if tags else None, "tag_pairs": pairs,
        "weekend": 0.5 if interruptible else 1.0, "noise": rng.choice((0.0, 0.02, 0.1, 0.3)),
        "covered": machine and env == "prod" and rng.random() < 0.4,  # by the payer's Compute Savings Plan
    }  # fmt: skip


def _tags(rng: random.Random, team: str, project: str, env: str, owner: str, name: str) -> dict[str, str]:
    """Tags as owners write them: mostly canonical, some with other spellings, a Name, only a project, none."""
    style = rng.choices(("canonical", "spelled", "named", "project", "none"), (50, 15, 15, 8, 12))[0]
    if style == "spelled":
        return {"Team": team.title(), "Application": project, "Environment": env.upper()}
    if style == "project":
        return {"project": "shared-network" if rng.random() < 0.5 else project}
    if style == "none":
        return {}
    tags = {"team": team, "project": project, "env": env, "owner": owner}
    return tags | {"Name": name} if style == "named" else tags


def _resource_id(provider: str, path: str, region: str, account: str, team: str, env: str, name: str) -> str:
    service, _, kind = path.partition(":")
    kind = kind.rpartition("/")[0]
    if provider == "aws":
        return (
            f"arn:aws:{service}:{region}:{account}:{kind}/{name}" if kind else f"arn:aws:{service}:::{name}"
        )
    if provider == "azure":
        return f"{account}/resourcegroups/{team}-{env}-rg/providers/{path.rpartition('/')[0]}/{name}"
    return f"//{service}.googleapis.com/projects/{account}/{kind}/{name}"


def _account_columns(account: BillingAccount, sub_account: tuple[str, str]) -> dict:
    provider_name, issuer = PROVIDER_NAMES[account.provider]
    return {
        "provider": account.provider, "ProviderName": provider_name, "PublisherName": provider_name,
        "InvoiceIssuerName": issuer, "BillingAccountId": account.id, "BillingAccountName": account.name,
        "BillingCurrency": account.currency, "SubAccountId": sub_account[0], "SubAccountName": sub_account[1],
    }  # fmt: skip


def _periods(first: date, last: date) -> Iterator[tuple[date, date, date]]:
    """(billing period, its first day in the window, its last) for each month the window touches."""
    period = first.replace(day=1)
    while period <= last:
        following = (period + timedelta(days=32)).replace(day=1)
        yield period, max(first, period), min(last, following - timedelta(days=1))
        period = following


def _charges(lines: pl.DataFrame, first: date, last: date, last_day_lines: int) -> pl.DataFrame:
    """The lines charged each day from ``first`` to ``last``: FOCUS columns (and AWS's x_ columns)."""
    days = pl.DataFrame({"day": pl.date_range(first, last, eager=True)}).with_columns(
        index=(pl.col("day") - pl.lit(FIRST_DAY)).dt.total_days()
    )
    rows = lines.join(days, how="cross").filter(
        (pl.col("index") < DAYS - 1) | (pl.col("index") > DAYS - 1) | (pl.col("line") < last_day_lines)
    )
    noise = (pl.struct("line", "index").hash(NOISE_SEED) % 1_000_000) / 500_000 - 1  # uniform in [-1, 1)
    weekend = pl.when(pl.col("day").dt.weekday() >= 6).then(pl.col("weekend")).otherwise(1.0)
    quantity = (pl.col("quantity") * weekend * (1 + pl.col("noise") * noise)).round(6)
    start = pl.col("day").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    period = pl.col("day").dt.month_start().cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    sku = pl.concat_str(pl.col("provider").str.to_uppercase(), pl.col("RegionId").fill_null("global"),
                        pl.col("usage_type").str.replace_all(r"[^A-Za-z0-9]", ""), separator="-")  # fmt: skip
    covered = pl.col("covered")
    charged = rows.with_columns(
        PricingQuantity=quantity, ConsumedQuantity=quantity, ListCost=(quantity * pl.col("price")).round(6),
    ).with_columns(
        BilledCost=pl.when(covered).then(0.0).otherwise(pl.col("ListCost")),
        EffectiveCost=pl.when(covered).then((pl.col("ListCost") * 0.72).round(6)).otherwise(pl.col("ListCost")),
        ContractedCost=pl.col("ListCost"),
        ListUnitPrice=pl.col("price"),
        ContractedUnitPrice=pl.col("price"),
        ConsumedUnit=pl.col("PricingUnit"),
        ChargePeriodStart=start,
        ChargePeriodEnd=start.dt.offset_by("1d"),
        BillingPeriodStart=period,
        BillingPeriodEnd=period.dt.offset_by("1mo"),
        ChargeClass=pl.lit(None, pl.String),
        ChargeDescription=pl.format("${} per {} of {}", pl.col("price"), pl.col("PricingUnit"), pl.col("usage_type")),
        PricingCategory=pl.when(covered).then(pl.lit("Committed")).otherwise(pl.lit("Standard")),
        SkuId=sku,
        SkuPriceId=pl.concat_str(sku, pl.lit(".ONDEMAND")),
        CommitmentDiscountId=pl.when(covered).then(pl.format("arn:aws:savingsplans::{}:savingsplan/sp-0001",
                                                             pl.col("BillingAccountId"))),
        CommitmentDiscountName=pl.when(covered).then(pl.lit("Compute Savings Plan (1 year, All Upfront)")),
        CommitmentDiscountCategory=pl.when(covered).then(pl.lit("Spend")),
        CommitmentDiscountType=pl.when(covered).then(pl.lit("Compute Savings Plan")),
        CommitmentDiscountStatus=pl.when(covered).then(pl.lit("Used")),
    )  # fmt: skip
    if lines["provider"][0] != "aws":
        return charged.select(*FOCUS_COLUMNS, "tag_pairs")
    return charged.select(
        *FOCUS_COLUMNS,
        "tag_pairs",
        x_ServiceCode=pl.col("ServiceName").replace_strict(AWS_SERVICE_CODES, default="AWSSupportBusiness"),
        x_UsageType=pl.col("usage_type"),
        x_Operation=pl.col("usage_type").str.extract(r"^(\w+)").fill_null("Usage"),
    )


def _as_delivered(provider: str, frame: pl.DataFrame) -> pa.Table:
    """The provider's Parquet typing: AWS and Azure amounts as doubles, GCP as decimals; AWS tags as a map."""
    if provider == "gcp":
        typed = frame.drop("tag_pairs").with_columns(pl.col(pl.Float64).cast(pl.Decimal(38, 9)))
        return typed.to_arrow()
    if provider == "azure":
        return frame.drop("tag_pairs").to_arrow()
    plain = frame.with_columns(pl.col(pl.Datetime).dt.replace_time_zone(None).dt.cast_time_unit("ms"))
    table = plain.drop("tag_pairs", "Tags").to_arrow()
    pairs = frame.get_column("tag_pairs").rechunk().to_arrow().cast(pa.list_(TAG_PAIR))
    tags = pa.MapArray.from_arrays(
        pairs.offsets, pairs.values.field("key"), pairs.values.field("value"), mask=pairs.is_null()
    )
    empty = pa.nulls(frame.height, tags.type)
    columns = {"Tags": tags, "x_CostCategories": empty, "x_Discounts": empty}
    names = [*FOCUS_COLUMNS, *AWS_COLUMNS]
    return pa.table({name: columns[name] if name in columns else table.column(name) for name in names})
