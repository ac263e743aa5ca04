"""The inventory's history and relationships over the hand-built raw inventory, synced on three days.

Day 1 loads RAW_RESOURCES; day 2 changes an instance's type and tags, loses a snapshot and finds a new bucket;
day 3 finds the snapshot again. Each day's `dbt build` of the inventory runs on that day's clock (dbt var
`today`), so every event is dated by the day of its sync, never by the wall clock.
"""

import re
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from dbt_raw_inventory import RAW_RESOURCES, A, load_raw_inventory
from support.inventory_refresh import refresh_inventory

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, create_database, ensure_schema

DAYS = (date(2024, 6, 1), date(2024, 6, 2), date(2024, 6, 3))
A_US = f"aws/{A}/us-east-1/"
INSTANCE, SNAPSHOT, NEW_BUCKET = f"{A_US}ec2_instance/i-0a1", f"{A_US}ebs_snapshot/snap-1", f"{A_US}s3_bucket/new-bucket"
DOCS = Path(__file__).parents[2] / "dbt" / "models" / "marts" / "inventory" / "_inventory__docs.md"


def day_two_resources() -> list[tuple]:
    """RAW_RESOURCES with i-0a1 resized and retagged, snap-1 gone and a new bucket."""
    resources = []
    for *identity, document in RAW_RESOURCES:
        if identity[3] == "snap-1":
            continue
        if identity[3] == "i-0a1":
            document = dict(document, InstanceType="t3.xlarge", Tags=[{"Key": "team", "Value": "payments"}])
        resources.append((*identity, document))
    bucket = {"Name": "new-bucket", "CreationDate": "2024-06-02T01:00:00+00:00", "Tags": []}
    return [*resources, (A, "us-east-1", "s3_bucket", "new-bucket", "arn:aws:s3:::new-bucket", bucket)]


def load_day(url: str, day: date, resources: list[tuple]) -> None:
    with connect(url) as conn:
        ensure_schema(conn)
        conn.execute("TRUNCATE raw_aws.resources")
    load_raw_inventory(url, resources, synced_at=f"{day.isoformat()}T06:00:00+00:00")
    settings = load_settings(clock={"today": day.isoformat()})
    assert refresh_inventory(url, settings, sync=False).success


@pytest.fixture(scope="module")
def history_url(warehouse_url: str) -> str:
    url = create_database(warehouse_url, "dbt_resource_history")
    load_day(url, DAYS[0], RAW_RESOURCES)
    load_day(url, DAYS[1], day_two_resources())
    load_day(url, DAYS[2], [*day_two_resources(), next(r for r in RAW_RESOURCES if r[3] == "snap-1")])
    return url


def rows(url: str, query: str, params: dict | None = None) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute(query, params).fetchall()


def at_six(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, tzinfo=timezone.utc)


def test_every_resource_is_discovered_on_the_first_day_and_each_later_event_once(history_url):
    events = rows(history_url, "SELECT change_date, change_type, count(*) FROM marts.resource_changes GROUP BY 1, 2")
    assert Counter({(d, t): n for d, t, n in events}) == Counter({
        (DAYS[0], "discovered"): len(RAW_RESOURCES),
        (DAYS[1], "changed"): 1, (DAYS[1], "deleted"): 1, (DAYS[1], "created"): 1,
        (DAYS[2], "created"): 1,
    })


def test_events_name_the_resource_its_team_and_what_changed(history_url):
    later = rows(history_url, """
        SELECT resource_key, change_type, change_date, changed_at, team, changed_attributes, attribute_changes
        FROM marts.resource_changes WHERE change_type <> 'discovered' ORDER BY change_date, resource_key, changed_at
    """)
    deleted_at = later[0][3]
    changes = {"InstanceType": {"before": "t3.large", "after": "t3.xlarge"},
               "Tags": {"before": next(r for r in RAW_RESOURCES if r[3] == "i-0a1")[5]["Tags"],
                        "after": [{"Key": "team", "Value": "payments"}]}}
    assert later == [
        (SNAPSHOT, "deleted", DAYS[1], deleted_at, None, [], {}),  # stamped by the build, on day 2's clock
        (INSTANCE, "changed", DAYS[1], at_six(DAYS[1]), "payments", ["InstanceType", "Tags"], changes),
        (NEW_BUCKET, "created", DAYS[1], at_six(DAYS[1]), None, [], {}),
        (SNAPSHOT, "created", DAYS[2], at_six(DAYS[2]), None, [], {}),
    ]


def test_the_snapshot_keeps_every_version_with_its_validity(history_url):
    versions = rows(history_url, """
        SELECT dbt_valid_from, dbt_valid_to, dbt_is_deleted, configuration ->> 'InstanceType'
        FROM snapshots.resources_snapshot WHERE resource_key = %(key)s ORDER BY dbt_valid_from
    """, {"key": INSTANCE})
    assert versions == [
        (at_six(DAYS[0]), at_six(DAYS[1]), "False", "t3.large"),
        (at_six(DAYS[1]), None, "False", "t3.xlarge"),
    ]
    snapshot = rows(history_url, """
        SELECT dbt_valid_from::date, dbt_valid_to::date, dbt_is_deleted FROM snapshots.resources_snapshot
        WHERE resource_key = %(key)s ORDER BY dbt_valid_from
    """, {"key": SNAPSHOT})
    assert snapshot == [(DAYS[0], DAYS[1], "False"), (DAYS[1], DAYS[2], "True"), (DAYS[2], None, "False")]


def test_what_changed_in_an_account_yesterday_is_the_documented_query(history_url):
    """The query in the resource_history doc, run on day 3 for account A: day 2's events there."""
    doc = DOCS.read_text().split("{% docs resource_history %}")[1]
    query = re.search(r"```sql\n(.*?)```", doc, re.S).group(1)
    query = query.replace("current_date", "%(today)s::date").replace(f"'{'1' * 12}'", "%(account)s")
    found = rows(history_url, query, {"today": DAYS[2], "account": A})
    # sorted: the deletion's time of day is the build's
    assert sorted((kind, resource_id, attributes) for _, kind, _, _, resource_id, _, _, attributes in found) == [
        ("changed", "i-0a1", ["InstanceType", "Tags"]),
        ("created", "new-bucket", []),
        ("deleted", "snap-1", []),
    ]


def test_relationships_are_the_references_between_inventoried_resources(history_url):
    edges = rows(history_url, """
        SELECT resource_id, relation, depends_on_type, depends_on_id FROM marts.resource_relationships ORDER BY 1, 2
    """)
    assert edges == [
        ("i-0a1", "in_subnet", "subnet", "subnet-1"),
        ("i-0a2", "in_subnet", "subnet", "subnet-1"),
        ("subnet-1", "in_vpc", "vpc", "vpc-1"),
        ("vol-1", "attached_to", "ec2_instance", "i-0a1"),
    ]
