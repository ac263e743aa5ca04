"""After the next inventory sync and dbt build, every node a request created is found in the inventory by its
request and node tags; one deleted behind CloudForge's back is reported missing (marts.provisioned_resources, read
by provisioners/reconcile.py)."""

from __future__ import annotations

from dataclasses import replace

import boto3
import pytest
from dagster import AssetKey, AssetSelection

from assets.aws.inventory import sync_inventory
from cloudforge.settings import load_settings
from cloudforge.warehouse import connect
from provisioners.engines.aws import account_engine
from provisioners.reconcile import inventory_status
from provisioners.service import apply_request
from tests.provisioners.conftest import make_request, needs_bundled_migrations
from tests.provisioners.test_apply_moto import FAST
from tests.provisioners.test_faults import approved
from tests.support.aws_estate import ACCOUNTS, credentials, inventory_settings
from tests.support.dbt_build import build

pytestmark = pytest.mark.dbt

@needs_bundled_migrations
def test_provisioned_resources_are_matched_in_the_next_inventory_sync(ledger_url, ledger, moto_endpoint, clock,
                                                                      monkeypatch):  # fmt: skip
    credentials(monkeypatch)
    request = replace(make_request("web-service", "reconciled", instance_count=1), account=ACCOUNTS[0])
    plan = approved(ledger, request)
    engine = account_engine(ACCOUNTS[0], "us-east-1", moto_endpoint, 4, boto3.Session())
    assert apply_request(ledger_url, ledger, plan.graph, engine, 4, FAST).ok
    engine.client("ec2").terminate_instances(InstanceIds=[ledger.nodes(request.id)["web[0]"].physical_id])
    engine.client("s3").delete_bucket(Bucket=ledger.nodes(request.id)["assets"].physical_id)
    with connect(ledger_url, autocommit=True) as conn:
        assert inventory_status(conn, request.id) == {}  # no build yet

    settings = inventory_settings(moto_endpoint, regions=["us-east-1"])
    types = ["vpc", "subnet", "security_group", "ec2_instance", "s3_bucket", "load_balancer", "iam_role"]
    sync_inventory(settings, ledger_url, clock=clock, resource_types=types)
    marts = AssetSelection.assets(AssetKey(["marts", "provisioned_resources"]), AssetKey(["marts", "resources"]))
    assert build(ledger_url, load_settings(), marts.upstream()).success
    with connect(ledger_url, autocommit=True) as conn:
        matches = inventory_status(conn, request.id)
        provisioned_by = conn.execute(
            "SELECT count(*) FROM marts.resources WHERE provisioned_by_request = %s", [request.id]
        ).fetchone()[0]

    assert matches == {
        **{n: "in inventory" for n in ["vpc", "public_a", "public_b", "private_a", "private_b", "https", "app",
                                       "lb", "access_logs", "web_role"]},
        **{n: "not inventoried" for n in ["public_routes", "public_a_routes", "public_b_routes", "targets",
                                          "web_targets[0]", "web_profile", "assets_encryption",
                                          "assets_versioning", "assets_public_access", "assets_policy",
                                          "assets_logging", "access_logs_encryption", "access_logs_versioning",
                                          "access_logs_public_access", "access_logs_policy",
                                          "access_logs_logging"]},
        "web[0]": "missing",  # terminated outside CloudForge (the API lists it terminated for a while)
        "assets": "missing",  # deleted outside CloudForge
    }  # fmt: skip
    assert provisioned_by == 10  # the nodes in inventory
