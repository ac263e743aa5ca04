"""marts.provisioned_resources and marts.resources.provisioned_by_request, built by the dbt assets over a
hand-built inventory and a ledger holding one request: each created node matched by its request and node tags
(in inventory), by its id with other tags (tags changed), not found or found terminated (missing), or of a type
the inventory does not collect (not inventoried)."""

from __future__ import annotations

import csv
import json

from dagster import AssetKey, AssetSelection
from support.dbt_build import build
from dbt_raw_inventory import RAW_RESOURCES, REQUIRED_TAGS, load_raw_inventory, tag_list

from cloudforge.settings import load_settings
from cloudforge.terraform.types import TERRAFORM_TYPES
from cloudforge.warehouse import connect, create_database
from pipelines.dbt import DBT_PROJECT_DIR
from provisioners.graph import NODE_TAG, REQUEST_TAG

ACCOUNT, REGION, REQUEST = "111111111111", "eu-central-1", "req-0123456789ab"


def provisioned(node: str, request: str = REQUEST) -> list[dict[str, str]]:
    return tag_list((REQUEST_TAG, request), (NODE_TAG, node), ("team", "payments"))


PROVISIONED_RESOURCES = [
    (ACCOUNT, REGION, "vpc", "vpc-p1", None, {
        "VpcId": "vpc-p1", "CidrBlock": "10.8.0.0/16", "State": "available", "Tags": provisioned("vpc")}),
    (ACCOUNT, REGION, "security_group", "sg-p1", None, {
        "GroupId": "sg-p1", "GroupName": "app", "VpcId": "vpc-p1", "IpPermissions": [], "IpPermissionsEgress": [],
        "Tags": tag_list(("team", "payments"))}),  # its request and node tags removed outside CloudForge
    (ACCOUNT, REGION, "ec2_instance", "i-p1", None, {
        "InstanceId": "i-p1", "InstanceType": "t3.micro", "State": {"Code": 48, "Name": "terminated"},
        "Tags": provisioned("web[0]")}),
    (ACCOUNT, REGION, "ec2_instance", "i-other", None, {  # tagged with a request the ledger does not hold
        "InstanceId": "i-other", "InstanceType": "t3.micro", "State": {"Code": 16, "Name": "running"},
        "Tags": provisioned("web[0]", "req-elsewhere")}),
]

# node id, Terraform type, physical id, attributes, status
NODES = [
    ("vpc", "aws_vpc", "vpc-p1", {"id": "vpc-p1"}, "created"),
    ("app", "aws_security_group", "sg-p1", {"id": "sg-p1"}, "created"),
    ("web[0]", "aws_instance", "i-p1", {"id": "i-p1"}, "created"),
    ("assets", "aws_s3_bucket", "assets-p1", {"bucket": "assets-p1"}, "created"),
    ("public_routes", "aws_route_table", "rtb-p1", {"id": "rtb-p1"}, "created"),
    ("web[1]", "aws_instance", None, {}, "failed"),
]


def load_ledger(url: str) -> None:
    with connect(url) as conn:
        conn.execute(
            "INSERT INTO provisioning.requests (request_id, name, blueprint, account_id, region, requested_by, team,"
            " document, status) VALUES (%s, 'shop', 'web-service', %s, %s, 'alice', 'Payments', '{}', 'failed')",
            [REQUEST, ACCOUNT, REGION],
        )
        for node_id, terraform_type, physical_id, attributes, status in NODES:
            conn.execute(
                "INSERT INTO provisioning.nodes (request_id, node_id, address, resource_type, physical_id,"
                " attributes, status) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [REQUEST, node_id, f"{terraform_type}.{node_id}", terraform_type, physical_id,
                 json.dumps(attributes), status],
            )


def test_provisioned_resources_and_the_inventory_name_their_request(warehouse_url):
    url = create_database(warehouse_url, "dbt_provisioned")
    load_raw_inventory(url, RAW_RESOURCES + PROVISIONED_RESOURCES)
    load_ledger(url)
    marts = AssetSelection.assets(AssetKey(["marts", "provisioned_resources"]), AssetKey(["marts", "resources"]))
    assert build(url, load_settings(tags={"required": REQUIRED_TAGS}), marts.upstream()).success

    with connect(url) as conn:
        rows = conn.execute(
            "SELECT node_id, blueprint, team, terraform_type, physical_id, inventory_type, resource_key,"
            " inventory_status FROM marts.provisioned_resources WHERE request_id = %s ORDER BY node_id",
            [REQUEST],
        ).fetchall()
        provisioned_by = dict(conn.execute(
            "SELECT resource_id, provisioned_by_request FROM marts.resources WHERE account_id = %s", [ACCOUNT]
        ).fetchall())

    key = f"aws/{ACCOUNT}/{REGION}"
    assert rows == [
        ("app", "web-service", "payments", "aws_security_group", "sg-p1", "security_group",
         f"{key}/security_group/sg-p1", "tags changed"),
        ("assets", "web-service", "payments", "aws_s3_bucket", "assets-p1", "s3_bucket", None, "missing"),
        ("public_routes", "web-service", "payments", "aws_route_table", "rtb-p1", None, None, "not inventoried"),
        ("vpc", "web-service", "payments", "aws_vpc", "vpc-p1", "vpc", f"{key}/vpc/vpc-p1", "in inventory"),
        ("web[0]", "web-service", "payments", "aws_instance", "i-p1", "ec2_instance", None, "missing"),
    ]  # fmt: skip
    assert provisioned_by["vpc-p1"] == REQUEST
    assert {resource for resource, request in provisioned_by.items() if request} == {"vpc-p1"}


def test_the_seed_of_terraform_types_is_the_declared_mapping():
    path = DBT_PROJECT_DIR / "seeds" / "terraform_resource_types.csv"
    with open(path, newline="") as seed:
        rows = {row["terraform_type"]: (row["inventory_type"], row["id_attribute"]) for row in csv.DictReader(seed)}
    assert rows == {name: (kind.inventory_type, kind.id_attribute) for name, kind in TERRAFORM_TYPES.items()}
