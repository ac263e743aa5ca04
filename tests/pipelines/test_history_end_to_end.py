"""The inventory's history and relationships on the demo estate, against the estate's own records.

The session's demo run (`cloudforge run`) snapshots the inventory: every resource discovered, every edge.
Then the smallest estate seeded afresh, synced and built on the session's day, ``demo.changes`` applied, and the inventory
synced and built again on the next day (the inventory asset and the history marts' dbt build only, in a
database of its own): ``marts.resource_changes`` holds exactly the declared events.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from support.inventory_refresh import refresh_inventory
from support.pages import point_dashboards_at

from cloudforge.clock import Clock
from cloudforge.settings import Settings, load_settings
from cloudforge.warehouse import connect, create_database
from dashboards.inventory import queries
from demo.changes import EXPECTED_COUNTS, AppliedChange, apply_changes
from demo.estate import Estate, generate_estate
from demo.health import target_group_plan
from demo.seeding import ResourceIds, seed_estate

pytestmark = pytest.mark.e2e  # two inventory syncs and history builds of an estate of its own

SMALLEST = 30  # the smallest estate has every kind of resource the changes touch, and seeds and syncs fastest


@dataclass(frozen=True)
class ChangedEstate:
    url: str
    estate: Estate
    resource_ids: ResourceIds  # as seeding made them
    applied: list[AppliedChange]  # the changes made between the two syncs


@pytest.fixture(scope="module")
def changed_estate(warehouse_url: str, moto_endpoint: str, clock: Clock) -> ChangedEstate:
    estate = generate_estate(size=SMALLEST)
    resource_ids = seed_estate(estate, moto_endpoint, clock.now())
    url = create_database(warehouse_url, "inventory_history")
    day_one = clock.today()
    refresh_inventory(url, settings_on(moto_endpoint, day_one))
    applied = apply_changes(estate, resource_ids, moto_endpoint)
    refresh_inventory(url, settings_on(moto_endpoint, day_one + timedelta(days=1)))
    return ChangedEstate(url, estate, resource_ids, applied)


def settings_on(endpoint_url: str, day: date) -> Settings:
    return load_settings(aws={"endpoint_url": endpoint_url}, clock={"today": day.isoformat()})


def test_the_second_sync_shows_exactly_the_declared_changes(changed_estate, clock: Clock):
    with connect(changed_estate.url) as conn:
        events = conn.execute(
            "SELECT change_date, change_type, account_id, region, resource_type, resource_id, changed_attributes"
            " FROM marts.resource_changes"
        ).fetchall()
    day_one, day_two = clock.today(), clock.today() + timedelta(days=1)
    discovered = {(day_one, "discovered"): len(changed_estate.estate.resources)}
    assert Counter((day, kind) for day, kind, *_ in events) == Counter(
        discovered | {(day_two, kind): count for kind, count in EXPECTED_COUNTS.items()}
    )
    later = sorted(tuple(row[1:-1]) + (tuple(row[-1]),) for row in events if row[0] == day_two)
    assert later == sorted(
        (c.kind, c.account_id, c.region, c.resource_type, c.resource_id, c.attributes) for c in changed_estate.applied
    )


def expected_edges(estate: Estate) -> Counter:
    """Edges per relation, from the estate's records: every instance in a subnet behind a group, every subnet in a
    VPC, attached volumes, databases and load balancers in their subnets behind their group, balancer targets."""
    def total(resource_type: str, count) -> int:
        return sum(count(spec.attributes) for spec in estate.of_type(resource_type))

    placed = ("rds_instance", "load_balancer")
    plan = target_group_plan(estate)
    return Counter({
        "in_subnet": len(estate.of_type("ec2_instance")) + sum(total(t, lambda a: len(a["subnets"])) for t in placed),
        "in_vpc": len(estate.of_type("subnet")),
        "attached_to": total("ebs_volume", lambda a: a["attached_to"] is not None),
        "uses_security_group": sum(len(estate.of_type(t)) for t in ("ec2_instance", *placed)),
        # the balancers' running targets, and the stopped instance demo.health leaves registered
        "routes_to": total("load_balancer", lambda a: len(a["targets"])) + len(getattr(plan, "unhealthy", ())),
    })


def test_cloudforge_run_snapshots_the_inventory_and_relates_it(demo_run):
    with connect(demo_run.url) as conn:
        events = conn.execute("SELECT change_type, count(*) FROM marts.resource_changes GROUP BY 1").fetchall()
        edges = conn.execute("SELECT relation, count(*) FROM marts.resource_relationships GROUP BY 1").fetchall()
    assert dict(events) == {"discovered": len(demo_run.estate.resources)}
    assert Counter(dict(edges)) == expected_edges(demo_run.estate)


def test_deleting_a_vpc_affects_what_runs_in_it(changed_estate, monkeypatch):
    """The Inventory page's impact query for the VPC of the first load balancer: its subnets, what runs in them
    (instances, databases, load balancers) and the volumes attached to those instances."""
    estate = changed_estate.estate
    balancer = estate.of_type("load_balancer")[0]
    account_id, region, vpc = balancer.account_id, balancer.region, balancer.attributes["vpc"]
    here = [spec for spec in estate.resources if (spec.account_id, spec.region) == (account_id, region)]
    subnets = {s.name for s in here if s.resource_type == "subnet" and s.attributes["vpc"] == vpc}
    instances = {s.name for s in here if s.resource_type == "ec2_instance" and s.attributes["subnet"] in subnets}
    expected = Counter(
        s.resource_type for s in here
        if (s.resource_type == "subnet" and s.name in subnets)
        or (s.resource_type == "ec2_instance" and s.name in instances)
        or (s.resource_type in ("rds_instance", "load_balancer") and s.attributes["vpc"] == vpc)
        or (s.resource_type == "ebs_volume" and s.attributes["attached_to"] in instances)
    )
    vpc_id = changed_estate.resource_ids[(account_id, region, "vpc", vpc)][0]
    point_dashboards_at(changed_estate.url, monkeypatch)
    assert Counter(queries.dependents(f"aws/{account_id}/{region}/vpc/{vpc_id}")["resource_type"]) == expected
