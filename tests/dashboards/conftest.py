"""Databases for the dashboard tests, each its own database in the session's embedded PostgreSQL.

``marts_url`` holds a small hand-built estate in tables the inventory marts' contracts shape (six resources, three
accounts, two clouds); the expectations in the tests are counted from ``RESOURCES`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
import pytest
import streamlit as st
from psycopg.types.json import Jsonb
from support.marts import create_marts, insert

from cloudforge.warehouse import create_database
from tests.provisioners.conftest import ledger_url  # noqa: F401 (a fresh provisioning ledger, for the Provisioning page)

SYNCED = datetime(2026, 11, 28, 6, 30, tzinfo=UTC)
EARLIER = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
CREATED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

# (cloud, account, region, type, id, arn, name, state, tags, synced_at); team, project, env and owner
# come from the tags.
RESOURCES = [
    ("aws", "111111111111", "us-east-1", "ec2:instance", "i-0a1",
     "arn:aws:ec2:us-east-1:111111111111:instance/i-0a1", "web-1", "running",
     {"Team": "payments", "Project": "checkout", "env": "prod", "owner": "ana"}, SYNCED),
    ("aws", "111111111111", "us-east-1", "s3:bucket", "cf-logs-bucket",
     "arn:aws:s3:::cf-logs-bucket", "cf-logs-bucket", "available",
     {"team": "payments", "project": "checkout", "env": "prod"}, SYNCED),
    ("aws", "111111111111", "eu-west-1", "ec2:instance", "i-0b3",
     "arn:aws:ec2:eu-west-1:111111111111:instance/i-0b3", "batch_1", "stopped",
     {"team": "data", "project": "etl", "env": "dev", "owner": "bo"}, SYNCED),
    ("aws", "222222222222", "us-west-2", "rds:db-instance", "orders-db",
     "arn:aws:rds:us-west-2:222222222222:db:orders-db", "orders-db", "available",
     {"team": "payments", "project": "checkout", "env": "staging", "owner": "ana"}, EARLIER),
    ("aws", "222222222222", "us-west-2", "lambda:function", "resize-images",
     "arn:aws:lambda:us-west-2:222222222222:function:resize-images", "resize-images", "active",
     {}, EARLIER),
    ("gcp", "analytics-prod", "europe-west1", "compute:instance", "4815162342",
     None, "analytics-vm", "running",
     {"team": "data", "project": "insights", "env": "prod"}, SYNCED),
]
REQUIRED = ("team", "project", "env", "owner")


def resource_key(row: tuple) -> str:
    cloud, account, region, resource_type, resource_id = row[:5]
    return f"{cloud}:{account}:{region}:{resource_type}:{resource_id}"


def canonical(tags: dict) -> dict:
    return {key.lower(): value for key, value in tags.items()}


def tag_coverage_rows() -> list[dict]:
    """Coverage per cloud, account and team counted from RESOURCES, as the marts would."""
    groups: dict[tuple, list[dict]] = {}
    for row in RESOURCES:
        tags = canonical(row[8])
        groups.setdefault((row[0], row[1], tags.get("team")), []).append(tags)
    rows = []
    for (cloud, account, team), members in groups.items():
        compliant = sum(all(tag in tags for tag in REQUIRED) for tags in members)
        missing = {tag: sum(tag not in tags for tags in members) for tag in REQUIRED}
        rows.append(
            {
                "cloud": cloud,
                "account_id": account,
                "team": team,
                "resource_count": len(members),
                "compliant_resource_count": compliant,
                "coverage_ratio": compliant / len(members),
                "missing_tag_counts": Jsonb(missing),
            }
        )
    return rows


def fill_marts(conn: psycopg.Connection) -> None:
    """Insert RESOURCES and what the marts derive from them."""
    for row in RESOURCES:
        cloud, account, region, resource_type, resource_id, arn, name, state, tags, synced_at = row
        key, wanted = resource_key(row), canonical(tags)
        resource = {
            "resource_key": key,
            "cloud": cloud,
            "account_id": account,
            "region": region,
            "resource_type": resource_type,
            "resource_id": resource_id,
            "arn": arn,
            "name": name,
            "state": state,
            "created_at": CREATED,
            "tags": Jsonb(tags),
            **{tag: wanted.get(tag) for tag in REQUIRED},
            "configuration": Jsonb({"Id": resource_id, "Tags": tags}),
            "synced_at": synced_at,
        }
        insert(conn, "resources", [resource])
        insert(
            conn,
            "resource_tags",
            [
                {"resource_key": key, "tag_key": tag, "tag_value": value, "canonical_key": tag.lower()}
                for tag, value in tags.items()
            ],
        )
        missing = [tag for tag in REQUIRED if tag not in wanted]
        if missing:
            insert(conn, "missing_required_tags", [{"resource_key": key, "missing_tags": missing}])
    insert(conn, "tag_coverage", tag_coverage_rows())


def marts_database(warehouse_url: str, name: str, *fillers: Callable[[psycopg.Connection], None]) -> str:
    """A database with the inventory marts' tables, filled by ``fillers`` in turn."""
    url = create_database(warehouse_url, name)
    with psycopg.connect(url) as conn:
        create_marts(conn, "inventory")
        for fill in fillers:
            fill(conn)
    return url


@pytest.fixture(scope="session")
def marts_url(warehouse_url: str) -> str:
    return marts_database(warehouse_url, "dashboards_marts", fill_marts)


# A network web-1 runs in, with a volume attached to it: (type, id, name) in web-1's account and region.
NETWORK = [("vpc", "vpc-1", "main"), ("subnet", "subnet-1", "app-a"), ("security_group", "sg-1", "web-sg"),
           ("ebs_volume", "vol-1", "web-1-data")]
# (resource id, relation, resource id it depends on)
EDGES = [("i-0a1", "in_subnet", "subnet-1"), ("subnet-1", "in_vpc", "vpc-1"),
         ("i-0a1", "uses_security_group", "sg-1"), ("vol-1", "attached_to", "i-0a1")]


def fill_history(conn: psycopg.Connection) -> None:
    """NETWORK and EDGES besides RESOURCES, and web-1's history: discovered, then resized and retagged."""
    web = RESOURCES[0]
    keys = {web[4]: resource_key(web)}
    for resource_type, resource_id, name in NETWORK:
        row = (*web[:3], resource_type, resource_id, None, name, None, {}, SYNCED)
        keys[resource_id] = resource_key(row)
        insert(conn, "resources", [{
            "resource_key": keys[resource_id], "cloud": "aws", "account_id": web[1], "region": web[2],
            "resource_type": resource_type, "resource_id": resource_id, "name": name, "tags": Jsonb({}),
            "configuration": Jsonb({}), "synced_at": SYNCED,
        }])
    types = {resource_id: resource_type for resource_type, resource_id, _ in NETWORK} | {"i-0a1": web[3]}
    insert(conn, "resource_relationships", [{
        "relationship_key": f"{keys[source]} {relation} {keys[target]}", "resource_key": keys[source],
        "account_id": web[1], "region": web[2], "resource_type": types[source], "resource_id": source,
        "relation": relation, "depends_on_key": keys[target], "depends_on_type": types[target],
        "depends_on_id": target,
    } for source, relation, target in EDGES])
    events = [(EARLIER, "discovered", [], {}),
              (SYNCED, "changed", ["InstanceType", "Tags"], {"InstanceType": {"before": "t3.micro", "after": "m5.large"}})]
    insert(conn, "resource_changes", [{
        "change_key": f"{keys['i-0a1']}@{at.isoformat()}", "change_date": at.date(), "changed_at": at,
        "change_type": change_type, "resource_key": keys["i-0a1"], "account_id": web[1], "region": web[2],
        "resource_type": web[3], "resource_id": web[4], "name": web[6], "team": "payments",
        "changed_attributes": attributes, "attribute_changes": Jsonb(changes),
    } for at, change_type, attributes, changes in events])


@pytest.fixture(scope="session")
def history_marts_url(warehouse_url: str) -> str:
    """marts_url's estate with web-1's network, history and relationships (fill_history)."""
    return marts_database(warehouse_url, "dashboards_history", fill_marts, fill_history)


@pytest.fixture(scope="session")
def no_marts_url(warehouse_url: str) -> str:
    return create_database(warehouse_url, "dashboards_no_marts")


@pytest.fixture(scope="session")
def empty_marts_url(warehouse_url: str) -> str:
    return marts_database(warehouse_url, "dashboards_empty_marts")


@pytest.fixture(autouse=True)
def fresh_caches():
    """Tests point the app at different databases in one process: forget engines and query results."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
