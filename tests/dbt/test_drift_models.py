"""The drift marts after one `dbt build` over the hand-built inventory (dbt_raw_inventory) and two hand-written
states; and `cloudforge drift check`'s classification (cloudforge/terraform/drift.py) agreeing with them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import AssetKey, AssetSelection
from dbt_raw_inventory import A, load_raw_inventory

from assets.terraform.check import check_declared, read_declared
from assets.terraform.loader import load_sources
from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, create_database

DRIFT_MARTS = ("drift_resources", "drift_attributes", "drift_coverage", "drift_coverage_history")
IGNORE = [{"type": "vpc", "id": "vpc-*", "reason": "networks are another team's"}]
WEB_1_TAGS = {"Name": "web-1", "Team": " Payments ", "Project": "Checkout", "Environment": "Prod",
              "Owner": "Alice@Example.com", "cost-center": "cc-1"}


def instance(type_: str, name: str, attributes: dict, account: str = A, region: str = "us-east-1") -> dict:
    resource_id = attributes.get("id") or attributes.get("bucket")
    arn = attributes.pop("arn", f"arn:aws:ec2:{region}:{account}:x/{resource_id}")
    return {"mode": "managed", "type": type_, "name": name, "provider": "provider[\"aws\"]",
            "instances": [{"schema_version": 0, "attributes": {"arn": arn, **attributes}}]}


def write_states(directory: Path) -> None:
    app = [
        instance("aws_instance", "web", {"id": "i-0a1", "instance_type": "t3.large", "subnet_id": "subnet-1",
                                         "tags": WEB_1_TAGS}),
        instance("aws_instance", "worker", {"id": "i-0a2", "instance_type": "t3.small"}),
        instance("aws_instance", "gone", {"id": "i-0gone", "instance_type": "t3.small"}),
        instance("aws_security_group", "web", {"id": "sg-1", "name": "web-sg", "ingress": [
            {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}]}),
        instance("aws_s3_bucket", "logs", {"bucket": "logs-bucket", "arn": "arn:aws:s3:::logs-bucket",
                                           "region": "us-east-1"}),
        instance("aws_vpc", "main", {"id": "vpc-1", "cidr_block": "10.9.0.0/16"}),
    ]
    shared = [instance("aws_instance", "web", {"id": "i-0a1", "instance_type": "t3.large"})]
    for name, resources in (("app", app), ("shared", shared)):
        state = {"version": 4, "serial": 1, "lineage": name, "resources": resources}
        (directory / f"{name}.tfstate").write_text(json.dumps(state))


@pytest.fixture(scope="module")
def drift_url(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    from dbt.conftest import build  # noqa: PLC0415 - the dbt tests' build helper

    url = create_database(warehouse_url, "dbt_drift")
    load_raw_inventory(url)
    states = tmp_path_factory.mktemp("states")
    write_states(states)
    with connect(url, autocommit=True) as conn:
        load_sources(conn, [(str(states), lambda: None)], datetime(2024, 6, 1, 7, tzinfo=UTC))
    marts = AssetSelection.assets(*(AssetKey(["marts", name]) for name in DRIFT_MARTS))
    result = build(url, load_settings(drift={"ignore": IGNORE}), marts.upstream())
    assert result.success
    return url


def rows(url: str, query: str) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute(query).fetchall()


def test_declared_resources_are_classified_against_the_inventory(drift_url):
    declared = rows(drift_url, "SELECT resource_id, drift_category, is_ignored, is_conflict, declared_by "
                               "FROM marts.drift_resources WHERE state_uri IS NOT NULL ORDER BY 1")
    assert [row[:4] for row in declared] == [
        ("i-0a1", "managed", False, True), ("i-0a2", "changed", False, False), ("i-0gone", "missing", False, False),
        ("logs-bucket", "managed", False, False), ("sg-1", "changed", False, False),
        ("vpc-1", "changed", True, False),
    ]
    assert [Path(entry.split()[0]).name for entry in declared[0][4]] == ["app.tfstate", "shared.tfstate"]
    differences = rows(drift_url, "SELECT resource_key, attribute_path, declared_value, live_value, "
                                  "is_security_relevant FROM marts.drift_attributes ORDER BY 1, 2")
    assert [row[1:] for row in differences] == [
        ("instance_type", "t3.small", "t3.micro", False),
        ("ingress", ["tcp 443-443 10.0.0.0/8"], ["tcp 443-443 0.0.0.0/0"], True),
        ("cidr_block", "10.9.0.0/16", "10.0.0.0/16", False),
    ]
    unmanaged = rows(drift_url, "SELECT count(*) FROM marts.drift_resources WHERE drift_category = 'unmanaged'")
    running = rows(drift_url, "SELECT count(*) FROM marts.resources WHERE cloud = 'aws'")
    assert unmanaged[0][0] == running[0][0] - 5  # every other inventoried resource


def test_coverage_counts_ignored_resources_apart(drift_url):
    coverage = rows(drift_url, "SELECT sum(managed), sum(changed), sum(missing), sum(unmanaged), sum(ignored) "
                               "FROM marts.drift_coverage")
    unmanaged = rows(drift_url, "SELECT count(*) FROM marts.drift_resources WHERE drift_category = 'unmanaged'")
    assert coverage == [(2, 2, 1, unmanaged[0][0], 1)]


def test_drift_check_classifies_as_the_marts_do(drift_url, tmp_path):
    write_states(tmp_path)
    declared = read_declared(str(tmp_path), lambda: None)
    with connect(drift_url) as conn:
        items = check_declared(declared, conn, load_settings(drift={"ignore": IGNORE}).drift.ignore)
    checked = sorted((i.category, i.resource_type, i.resource_id, i.is_ignored) for i in items)
    marts = rows(drift_url, "SELECT drift_category, resource_type, resource_id, is_ignored FROM marts.drift_resources "
                            f"WHERE account_id = '{A}' ORDER BY 1, 2, 3")
    assert checked == marts
