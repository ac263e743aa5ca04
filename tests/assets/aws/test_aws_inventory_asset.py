"""The Dagster asset and its checks, run with dagster.materialize against moto and PostgreSQL."""

from __future__ import annotations

import json
import socket

import psycopg
import pytest
from dagster import AssetCheckSeverity, EnvVar, materialize
from psycopg.types.json import Jsonb
from support.aws_estate import ACCOUNTS, REGIONS, ROLE, Estate
from support.aws_proxy import access_denied_in, refusing_proxy

from assets.aws.assets import (
    AWS_INVENTORY_ASSETS,
    AWS_INVENTORY_CHECKS,
    RESOURCES_KEY,
    aws_inventory_documents_well_formed,
    aws_inventory_unique_arns,
)
from assets.aws.collectors import RESOURCE_TYPES
from assets.aws.resource import AwsAccountConfig, AwsInventoryResource
from assets.resources import WarehouseResource
from cloudforge.warehouse import ensure_schema

pytestmark = pytest.mark.usefixtures("aws_credentials")


def resources(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, database: str, **aws: object
) -> dict[str, object]:
    """The two resources as a deployment would configure them: endpoint and warehouse from the environment."""
    monkeypatch.setenv("TEST_AWS_ENDPOINT", endpoint)
    monkeypatch.setenv("TEST_WAREHOUSE_URL", database)
    accounts = [
        AwsAccountConfig(id=account, role_arn=f"arn:aws:iam::{account}:role/{ROLE}") for account in ACCOUNTS
    ]
    aws = {"max_workers": 4, "max_attempts": 2, "timeout_seconds": 10, **aws}
    return {
        "aws_inventory": AwsInventoryResource(
            mode="demo",
            regions=list(REGIONS),
            accounts=accounts,
            endpoint_url=EnvVar("TEST_AWS_ENDPOINT"),
            **aws,
        ),
        "warehouse": WarehouseResource(database_url=EnvVar("TEST_WAREHOUSE_URL")),
    }


def test_materialization_reports_partial_failure_as_metadata(
    aws_estate: Estate, inventory_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    denied = REGIONS[1]
    with refusing_proxy(aws_estate.endpoint, access_denied_in(denied)) as proxy:
        result = materialize(
            [*AWS_INVENTORY_ASSETS, *AWS_INVENTORY_CHECKS],
            resources=resources(monkeypatch, proxy.url, inventory_db),
        )

    assert result.success
    [event] = result.get_asset_materialization_events()
    assert event.asset_key == RESOURCES_KEY
    metadata = {key: value.value for key, value in event.materialization.metadata.items()}
    expected_rows = {}
    for (_, region, resource_type), ids in aws_estate.slices.items():
        expected_rows[resource_type] = expected_rows.get(resource_type, 0) + (
            len(ids) if region != denied else 0
        )
    assert metadata["rows_by_type"] == dict(sorted(expected_rows.items()))
    assert metadata["rows"] == sum(expected_rows.values())
    denied_slices = sum(1 for (_, region, _) in aws_estate.slices if region == denied)
    assert (metadata["slices_ok"], metadata["slices_failed"]) == (
        len(aws_estate.slices) - denied_slices,
        denied_slices,
    )
    assert {(f["account_id"], f["region"]) for f in metadata["failures"]} == {(a, denied) for a in ACCOUNTS}
    assert len(metadata["failures"]) == denied_slices
    assert "ASIA" not in json.dumps(metadata["failures"])  # key ids the proxy echoed were redacted

    checks = {
        e.check_name: (e.passed, e.severity, e.metadata["count"].value)
        for e in result.get_asset_check_evaluations()
    }
    assert checks == {
        "aws_inventory_slices_ok": (False, AssetCheckSeverity.WARN, denied_slices),
        "aws_inventory_documents_well_formed": (True, AssetCheckSeverity.ERROR, 0),
        "aws_inventory_unique_arns": (True, AssetCheckSeverity.ERROR, 0),
    }


def test_materialization_fails_when_no_slice_loads(
    inventory_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = materialize(
        AWS_INVENTORY_ASSETS,
        resources=resources(monkeypatch, closed, inventory_db, max_attempts=1),
        raise_on_error=False,
    )

    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "no AWS inventory slice could be loaded" in failure.step_failure_data.error.message
    with psycopg.connect(inventory_db) as conn:
        outcomes = conn.execute(
            "SELECT status, error_code, count(*) FROM raw_aws.sync_slices JOIN raw_aws.sync_errors"
            " USING (sync_id, account_id, region, resource_type) GROUP BY 1, 2"
        ).fetchall()
    slices = sum(1 if kind.is_global else len(REGIONS) for kind in RESOURCE_TYPES.values()) * len(ACCOUNTS)
    assert outcomes == [("failed", "EndpointConnectionError", slices)]


def test_checks_find_malformed_documents_and_duplicate_arns(inventory_db: str) -> None:
    good = {"Tags": [{"Key": "team", "Value": "web"}]}
    rows = [  # (region, resource_type, resource_id, arn, document)
        ("us-east-1", "s3_bucket", "logs", "arn:aws:s3:::logs", good),
        ("eu-west-1", "s3_bucket", "logs", "arn:aws:s3:::logs", good),  # the same bucket in two regions
        ("us-east-1", "vpc", "", None, good),  # no id
        ("us-east-1", "vpc", "vpc-1", None, {"VpcId": "vpc-1"}),  # no Tags
        ("us-east-1", "vpc", "vpc-2", None, {"Tags": {"team": "web"}}),  # Tags not a list
        ("us-east-1", "vpc", "vpc-3", None, {"Tags": [{"Key": "team"}]}),  # a tag without a value
        ("us-east-1", "vpc", "vpc-4", None, {"Tags": [{"Key": "n", "Value": 1}]}),  # a value not a string
        ("us-east-1", "vpc", "vpc-5", None, {"Tags": []}),
    ]
    with psycopg.connect(inventory_db, autocommit=True) as conn:
        ensure_schema(conn)
        for region, resource_type, resource_id, arn, document in rows:
            conn.execute(
                "INSERT INTO raw_aws.resources"
                " VALUES ('123456789012', %s, %s, %s, %s, %s, gen_random_uuid(), now())",
                (region, resource_type, resource_id, arn, Jsonb(document)),
            )
    warehouse = WarehouseResource(database_url=inventory_db)

    malformed = aws_inventory_documents_well_formed(warehouse=warehouse)
    assert not malformed.passed
    assert [row["resource_id"] for row in malformed.metadata["sample"].value] == [
        "",
        "vpc-1",
        "vpc-2",
        "vpc-3",
        "vpc-4",
    ]
    duplicates = aws_inventory_unique_arns(warehouse=warehouse)
    assert not duplicates.passed
    assert duplicates.metadata["sample"].value == [
        {
            "arn": "arn:aws:s3:::logs",
            "copies": 2,
            "slices": ["123456789012/eu-west-1/s3_bucket", "123456789012/us-east-1/s3_bucket"],
        }
    ]
