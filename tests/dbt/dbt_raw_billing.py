"""The hand-built FOCUS billing the cost model tests build from: 45 days (Mon 2024-05-06 to Wed 2024-06-19) of
AWS, Azure and GCP charges over the hand-built inventory of dbt_raw_inventory, with the allocation config.

Every line is defined below by a rule simple enough to check the marts by hand:

AWS (USD, payer 999999999999)
  ec2      i-0a1 (inventory: payments/checkout/prod; the line's own tag team=search loses), 2 lines a day:
           120.00 on weekdays, 48.00 on weekend days
  ebs      vol-1 (inventory, by resource id: data/-/staging), 3.20
  rds      orders-db (inventory: payments/orders/prod), covered by a reservation: billed 0, effective 80.00
  ri_fee   the reservation's monthly fee, 2024-06-01, no tags, account 222222222222 (default payments/orders):
           billed 2400.00, effective 0 (amortised onto rds)
  lambda   not in the inventory, tags Team=Data, Project=ETL: 0.1034567891, but 5.00 on 2024-06-12 (pennies)
  nat      untagged networking: 30.004 -> pool network (fixed: platform/network 60 %, payments 40 %)
  support  AWS Support (Business), 2024-06-01, 300.00 -> pool support (even)
  tax      10.00 a day -> pool tax (proportional to direct effective cost)
  credit   2024-06-03, -50.00, account 111111111111 without a default -> unallocated
Azure (EUR, subscription sub-0001)
  vm       tags Application=Indexer, Environment=Prod (no team: the tag rule project indexer -> team search):
           200 on weekdays, 90 on weekend days, plus NOISE, plus 80 on 2024-06-14 (above min_impact but within the noise: no anomaly)
  vnet     untagged networking: 12.00 -> pool network
  storage  tags ' TEAM '=Search, project=query-api, ENV=prod: 15.00
GCP (USD, project data-prod-123, default team data)
  bigquery tags team/project/env = data/warehouse/prod: 300 on weekdays, 60 on weekend days, 2700 on 2024-06-12
  compute  untagged: 25.00 -> team data by the account default, project unallocated
  storage  tags squad=identity, app=sso, stage=Prod: 4.00
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from dbt_raw_inventory import A, B
from psycopg.types.json import Jsonb

FIRST_DAY, LAST_DAY = date(2024, 5, 6), date(2024, 6, 19)
SPIKE_DAY = date(2024, 6, 12)
BUMP_DAY = date(2024, 6, 14)
PAYER, SUBSCRIPTION, GCP_PROJECT = "999999999999", "sub-0001", "data-prod-123"
LOADED_AT = datetime(2024, 6, 20, 6, tzinfo=UTC)
# Day-to-day variation of the Azure VM, by day number modulo 13 (not a multiple of the week).
NOISE = [-30, 25, -10, 35, 0, -20, 15, 5, -35, 30, -5, 20, -25]

I_0A1_ARN = f"arn:aws:ec2:us-east-1:{A}:instance/i-0a1"
ORDERS_DB_ARN = f"arn:aws:rds:eu-west-1:{B}:db:orders-db"

COSTS = {
    "tag_rules": [{"match": {"project": "indexer"}, "team": "search"}],
    "account_defaults": {B: {"team": "payments", "project": "orders"}, GCP_PROJECT: {"team": "data"}},
    "shared_pools": [
        {"name": "support", "service_names": ["AWS Support (Business)"], "split": "even"},
        {"name": "tax", "charge_categories": ["Tax"]},
        {"name": "network", "service_categories": ["Networking"], "untagged_only": True, "split": "fixed",
         "shares": [{"team": "platform", "project": "network", "percent": 60}, {"team": "Payments", "percent": 40}]},
    ],
    "budgets": [
        {"scope": "project", "name": "warehouse", "monthly_amount": 8000},
        {"scope": "account", "name": GCP_PROJECT, "monthly_amount": 10000},
        {"scope": "team", "name": "identity", "monthly_amount": 100, "thresholds": [100, 50, 80]},
        {"scope": "account", "name": SUBSCRIPTION, "monthly_amount": 9000, "currency": "EUR"},
    ],
    "anomalies": {"min_impact": 50},
}

PROVIDERS = {  # provider -> (billing account, currency, ProviderName)
    "aws": (PAYER, "USD", "AWS"),
    "azure": ("azure-ba-1", "EUR", "Microsoft"),
    "gcp": ("gcp-ba-1", "USD", "Google Cloud"),
}

COLUMNS = (
    "line_item_id", "provider", "provider_name", "publisher_name", "invoice_issuer_name", "billing_account_id",
    "billing_currency", "billing_period", "billing_period_start", "billing_period_end", "charge_period_start",
    "charge_period_end", "charge_category", "charge_frequency", "sub_account_id", "service_category",
    "service_name", "region_id", "resource_id", "billed_cost", "effective_cost", "list_cost", "contracted_cost",
    "commitment_discount_id", "tags", "source_uri", "load_id", "loaded_at",
)


def days() -> list[date]:
    return [FIRST_DAY + timedelta(n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]


def weekly(day: date, weekday: str, weekend: str) -> Decimal:
    return Decimal(weekend if day.isoweekday() >= 6 else weekday)


def vm_cost(day: date) -> Decimal:
    n = (day - FIRST_DAY).days
    return weekly(day, "200", "90") + NOISE[n % 13] + (80 if day == BUMP_DAY else 0)


def charges(day: date) -> list[dict]:
    """The day's lines, as (provider, name) -> FOCUS values; monthly charges on the first of the month."""
    first = day.day == 1
    usage = {"charge_category": "Usage", "charge_frequency": "Usage-Based"}
    lines = [
        *({"provider": "aws", "name": f"ec2-{half}", "sub_account_id": A, "region_id": "us-east-1",
           "service_category": "Compute", "service_name": "Amazon Elastic Compute Cloud", "resource_id": I_0A1_ARN,
           "cost": weekly(day, "120", "48") / 2, "tags": {"team": "search"}, **usage} for half in (1, 2)),
        {"provider": "aws", "name": "ebs", "sub_account_id": A, "region_id": "us-east-1",
         "service_category": "Storage", "service_name": "Amazon Elastic Compute Cloud", "resource_id": "vol-1",
         "cost": Decimal("3.20"), **usage},
        {"provider": "aws", "name": "rds", "sub_account_id": B, "region_id": "eu-west-1",
         "service_category": "Databases", "service_name": "Amazon Relational Database Service",
         "resource_id": ORDERS_DB_ARN, "cost": Decimal(0), "effective": Decimal(80),
         "commitment_discount_id": "ri-orders", **usage},
        {"provider": "aws", "name": "lambda", "sub_account_id": A, "region_id": "us-east-1",
         "service_category": "Compute", "service_name": "AWS Lambda",
         "resource_id": f"arn:aws:lambda:us-east-1:{A}:function:thumbs",
         "cost": Decimal(5) if day == SPIKE_DAY else Decimal("0.1034567891"),
         "tags": {"Team": "Data", "Project": "ETL"}, **usage},
        {"provider": "aws", "name": "nat", "sub_account_id": A, "region_id": "us-east-1",
         "service_category": "Networking", "service_name": "Amazon Virtual Private Cloud",
         "resource_id": f"arn:aws:ec2:us-east-1:{A}:natgateway/nat-0abc", "cost": Decimal("30.004"), **usage},
        {"provider": "aws", "name": "tax", "sub_account_id": PAYER, "service_category": "Other",
         "service_name": "Tax", "cost": Decimal(10), "charge_category": "Tax", "charge_frequency": "Recurring"},
        {"provider": "azure", "name": "vm", "sub_account_id": SUBSCRIPTION, "region_id": "westeurope",
         "service_category": "Compute", "service_name": "Virtual Machines",
         "resource_id": f"/subscriptions/{SUBSCRIPTION}/resourcegroups/search/providers/microsoft.compute/"
                        "virtualmachines/idx-1",
         "cost": vm_cost(day), "tags": {"Application": "Indexer", "Environment": "Prod"}, **usage},
        {"provider": "azure", "name": "vnet", "sub_account_id": SUBSCRIPTION, "region_id": "westeurope",
         "service_category": "Networking", "service_name": "Virtual Network", "cost": Decimal(12), **usage},
        {"provider": "azure", "name": "storage", "sub_account_id": SUBSCRIPTION, "region_id": "westeurope",
         "service_category": "Storage", "service_name": "Storage", "cost": Decimal(15),
         "tags": {" TEAM ": "Search", "project": "query-api", "ENV": "prod"}, **usage},
        {"provider": "gcp", "name": "bigquery", "sub_account_id": GCP_PROJECT, "region_id": "us",
         "service_category": "Analytics", "service_name": "BigQuery",
         "cost": Decimal(2700) if day == SPIKE_DAY else weekly(day, "300", "60"),
         "tags": {"team": "data", "project": "warehouse", "env": "prod"}, **usage},
        {"provider": "gcp", "name": "compute", "sub_account_id": GCP_PROJECT, "region_id": "us-central1",
         "service_category": "Compute", "service_name": "Compute Engine", "cost": Decimal(25), **usage},
        {"provider": "gcp", "name": "storage", "sub_account_id": GCP_PROJECT, "region_id": "us",
         "service_category": "Storage", "service_name": "Cloud Storage", "cost": Decimal(4),
         "tags": {"squad": "identity", "app": "sso", "stage": "Prod"}, **usage},
    ]
    if day == date(2024, 6, 3):
        lines.append({"provider": "aws", "name": "credit", "sub_account_id": A, "service_category": "Compute",
                      "service_name": "Amazon Elastic Compute Cloud", "cost": Decimal(-50),
                      "charge_category": "Credit", "charge_frequency": "One-Time"})
    if first:
        monthly = {"charge_category": "Purchase", "charge_frequency": "Recurring", "monthly": True}
        lines += [
            {"provider": "aws", "name": "ri_fee", "sub_account_id": B, "service_category": "Databases",
             "service_name": "Amazon Relational Database Service", "cost": Decimal(2400), "effective": Decimal(0),
             "commitment_discount_id": "ri-orders", **monthly},
            {"provider": "aws", "name": "support", "sub_account_id": PAYER,
             "service_category": "Management and Governance", "service_name": "AWS Support (Business)",
             "cost": Decimal(300), **monthly},
        ]
    return lines


def month_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, 1, tzinfo=UTC)
    end = datetime(day.year + day.month // 12, day.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def load_id(provider: str, period: date, version: int = 1) -> str:
    """The slice's load; a restated slice gets version 2."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fixture:{provider}:{period}:{version}"))


def focus_record(day: date, line: dict) -> dict:
    """One raw_billing.focus_charges row, column -> value."""
    provider = line["provider"]
    account, currency, provider_name = PROVIDERS[provider]
    period_start, period_end = month_bounds(day)
    start = period_start if line.get("monthly") else datetime(day.year, day.month, day.day, tzinfo=UTC)
    effective = line.get("effective", line["cost"])
    return dict(zip(COLUMNS, (
        f"{provider}-{line['name']}-{day}", provider, provider_name, provider_name, provider_name, account,
        currency, period_start.date(), period_start, period_end, start,
        period_end if line.get("monthly") else start + timedelta(days=1), line["charge_category"],
        line["charge_frequency"], line["sub_account_id"], line["service_category"], line["service_name"],
        line.get("region_id"), line.get("resource_id"), line["cost"], effective, max(line["cost"], effective),
        max(line["cost"], effective), line.get("commitment_discount_id"), line.get("tags"),
        f"fixture://focus/{provider}/{period_start.date()}.csv", load_id(provider, period_start.date()), LOADED_AT,
    ), strict=True))


def focus_records() -> list[dict]:
    return [focus_record(day, line) for day in days() for line in charges(day)]


LOG_COLUMNS = ("load_id", "provider", "billing_account_id", "billing_period", "source_uri", "status", "row_count",
               "message", "warnings", "logged_at")
RESTATED_AT = LOADED_AT + timedelta(days=1)
# The next day's restatement of GCP's June the gate refused, and a file no slice could be read from.
REFUSED_GCP_JUNE = ("quarantined (41 rows): rule allowed_values failed in fixture://focus/gcp/2024-06-01.csv: "
                    "ChargeCategory 'Usagee' on record 3")
# Azure's June loaded with ChargeCategory in lower case on its first three records, given canonical spelling.
AZURE_JUNE_WARNING = {
    "rule": "allowed_values", "severity": "normalised", "column": "ChargeCategory", "rows": 3,
    "reason": "ChargeCategory has 3 row(s) in another letter case, loaded as ['Usage']",
    "files": ["fixture://focus/azure/2024-06-01.csv"],
    "examples": [{"file": "fixture://focus/azure/2024-06-01.csv", "record": 1, "ChargeCategory": "Usage",
                  "_normalised": "ChargeCategory='usage'"}],
}
UNREADABLE = ("fixture://focus/broken.csv", "quarantined (0 rows): rule readable failed in "
              "fixture://focus/broken.csv: not a CSV, Parquet or gzip file")


def load_log() -> list[tuple]:
    """raw_billing.load_log as the ingestion writes it: each slice loaded once, then the two refusals."""
    rows = Counter((r["provider"], r["billing_account_id"], r["billing_period"]) for r in focus_records())
    june = date(2024, 6, 1)
    loaded = [(load_id(provider, period), provider, account, period, f"fixture://focus/{provider}/{period}.csv",
               "loaded", count, None, Jsonb([AZURE_JUNE_WARNING] if (provider, period) == ("azure", june) else []),
               LOADED_AT) for (provider, account, period), count in sorted(rows.items())]
    return [
        *loaded,
        (load_id("gcp", june, 2), "gcp", PROVIDERS["gcp"][0], june, "fixture://focus/gcp/2024-06-01.csv",
         "quarantined", 41, REFUSED_GCP_JUNE, Jsonb([]), RESTATED_AT),
        (load_id("broken", june), None, None, None, UNREADABLE[0], "quarantined", 0, UNREADABLE[1], Jsonb([]),
         RESTATED_AT),
    ]
