"""Databases for the dashboard tests, each its own database in the session's embedded PostgreSQL.

``marts_url`` holds a small hand-built estate in the marts contract (six resources, three accounts, two
clouds); the expectations in the tests are counted from ``RESOURCES`` below.
"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
import streamlit as st
from psycopg.types.json import Jsonb

from cloudforge.warehouse import create_database

MARTS_DDL = """
CREATE SCHEMA marts;
CREATE TABLE marts.resources (
    resource_key text PRIMARY KEY, cloud text, account_id text, region text, resource_type text,
    resource_id text, arn text, name text, state text, created_at timestamptz, tags jsonb,
    team text, project text, env text, owner text, configuration jsonb, synced_at timestamptz
);
CREATE TABLE marts.resource_tags (resource_key text, tag_key text, tag_value text, canonical_key text);
CREATE TABLE marts.tag_coverage (
    account_id text, team text, resource_count bigint, compliant_resource_count bigint, coverage_ratio numeric
);
CREATE TABLE marts.missing_required_tags (resource_key text, missing_tags text[]);
"""

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


def tag_coverage_rows() -> list[tuple]:
    """(account, team, resources, compliant, ratio) counted from RESOURCES, as the marts would."""
    groups: dict[tuple, list[int]] = {}
    for row in RESOURCES:
        tags = canonical(row[8])
        counts = groups.setdefault((row[1], tags.get("team")), [0, 0])
        counts[0] += 1
        counts[1] += all(tag in tags for tag in REQUIRED)
    return [(account, team, total, ok, ok / total) for (account, team), (total, ok) in groups.items()]


def fill_marts(conn: psycopg.Connection) -> None:
    """Insert RESOURCES and what the marts derive from them, with parameterised statements."""
    with conn.cursor() as cur:
        for row in RESOURCES:
            cloud, account, region, resource_type, resource_id, arn, name, state, tags, synced_at = row
            key, wanted = resource_key(row), canonical(tags)
            configuration = {"Id": resource_id, "Tags": tags}
            values = (key, cloud, account, region, resource_type, resource_id, arn, name, state, CREATED,
                      Jsonb(tags), *(wanted.get(tag) for tag in REQUIRED), Jsonb(configuration), synced_at)
            cur.execute(f"INSERT INTO marts.resources VALUES ({', '.join(['%s'] * len(values))})", values)
            cur.executemany(
                "INSERT INTO marts.resource_tags VALUES (%s, %s, %s, %s)",
                [(key, tag, value, tag.lower()) for tag, value in tags.items()],
            )
            missing = [tag for tag in REQUIRED if tag not in wanted]
            if missing:
                cur.execute("INSERT INTO marts.missing_required_tags VALUES (%s, %s)", (key, missing))
        cur.executemany("INSERT INTO marts.tag_coverage VALUES (%s, %s, %s, %s, %s)", tag_coverage_rows())


@pytest.fixture(scope="session")
def marts_url(warehouse_url: str) -> str:
    url = create_database(warehouse_url, "dashboards_marts")
    with psycopg.connect(url) as conn:
        conn.execute(MARTS_DDL)
        fill_marts(conn)
    return url


@pytest.fixture(scope="session")
def no_marts_url(warehouse_url: str) -> str:
    return create_database(warehouse_url, "dashboards_no_marts")


@pytest.fixture(scope="session")
def empty_marts_url(warehouse_url: str) -> str:
    url = create_database(warehouse_url, "dashboards_empty_marts")
    with psycopg.connect(url) as conn:
        conn.execute(MARTS_DDL)
    return url


@pytest.fixture(autouse=True)
def fresh_caches():
    """Tests point the app at different databases in one process: forget engines and query results."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
