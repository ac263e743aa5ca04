"""Loading state files into raw_terraform: slices per file, unchanged serials skipped, failures kept apart,
conflicts reported, S3 sources with workspaces, and no secret anywhere."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import dagster as dg
import psycopg
import pytest
from support.aws_estate import credentials
from support.terraform_state import CANARY

from assets.aws.clients import open_account
from assets.resources import WarehouseResource
from assets.terraform.assets import build_terraform_assets
from assets.terraform.loader import conflicts, load_sources
from cloudforge.clock import Clock
from cloudforge.settings import AwsAccount, AwsSettings, Settings, TerraformSettings


def no_s3() -> None:
    """The S3 client opener of a local source: it needs none."""


def per_state(url: str) -> dict[str, tuple]:
    with psycopg.connect(url) as conn:
        return {Path(uri).parent.name: rest for uri, *rest in conn.execute(
            "SELECT source_uri, status, serial, resource_count, (SELECT count(*) FROM raw_terraform.declared_resources d"
            " WHERE d.source_uri = s.source_uri) FROM raw_terraform.states s ORDER BY 1")}


def test_each_state_is_a_slice_and_unchanged_serials_are_skipped(
    terraform_db: str, states: Path, clock: Clock
) -> None:
    with psycopg.connect(terraform_db, autocommit=True) as conn:
        first = load_sources(conn, [(str(states), no_s3)], clock.now())
        assert sorted(Path(u).parent.name for u in first.loaded) == ["empty", "network", "shared"]
        assert (first.rows, first.unchanged) == (11, [])
        legacy = str(states / "legacy" / "terraform.tfstate")
        assert list(first.failed) == [legacy]
        assert first.failed[legacy].startswith(f"{legacy}: state format version 3 is not supported")
        assert conflicts(conn) == [("vpc", "vpc-0a1b2c3d", [
            f"{states}/network/terraform.tfstate aws_vpc.main", f"{states}/shared/terraform.tfstate aws_vpc.imported"])]

        second = load_sources(conn, [(str(states), no_s3)], clock.now())
        assert (second.loaded, len(second.unchanged), len(second.failed)) == ({}, 3, 1)

        network = states / "network" / "terraform.tfstate"  # a new serial with one resource less
        state = json.loads(network.read_text())
        state["serial"], state["resources"] = 8, state["resources"][:-1]
        network.write_text(json.dumps(state))
        (states / "shared" / "terraform.tfstate").write_text('{"version": 4, "serial": ')  # broken mid-write
        third = load_sources(conn, [(str(states), no_s3)], clock.now())
        assert third.loaded == {str(network): 8}
        assert sorted(Path(u).parent.name for u in third.failed) == ["legacy", "shared"]
    assert per_state(terraform_db) == {
        "empty": ["ok", 1, 0, 0], "legacy": ["failed", None, None, 0],
        "network": ["ok", 8, 8, 8], "shared": ["failed", 3, 2, 2],  # the previous rows stay
    }

    with psycopg.connect(terraform_db, autocommit=True) as conn:  # a state deleted declares nothing any more
        (states / "shared" / "terraform.tfstate").unlink()
        fourth = load_sources(conn, [(str(states), no_s3)], clock.now())
        assert (fourth.removed, fourth.loaded, len(fourth.unchanged)) == ([f"{states}/shared/terraform.tfstate"], {}, 2)
        assert conflicts(conn) == []
    assert per_state(terraform_db) == {
        "empty": ["ok", 1, 0, 0], "legacy": ["failed", None, None, 0], "network": ["ok", 8, 8, 8]}


def test_a_state_with_a_malformed_block_fails_alone(terraform_db: str, states: Path, clock: Clock) -> None:
    """Blocks are read as the COPY streams the batch: one that cannot be read fails its state, keeps that state's
    previous rows, and the batch's other states load."""
    with psycopg.connect(terraform_db, autocommit=True) as conn:
        load_sources(conn, [(str(states), no_s3)], clock.now())
        for name, serial in (("network", 8), ("shared", 4)):
            path = states / name / "terraform.tfstate"
            state = json.loads(path.read_text())
            state["serial"] = serial
            if name == "shared":
                del state["resources"][-1]["name"]
            path.write_text(json.dumps(state))
        report = load_sources(conn, [(str(states), no_s3)], clock.now())
    shared = str(states / "shared" / "terraform.tfstate")
    assert (report.loaded, list(report.failed)) == ({str(states / "network" / "terraform.tfstate"): 9},
                                                    [str(states / "legacy" / "terraform.tfstate"), shared])
    assert report.failed[shared] == f"{shared}: resources[1] has no name"
    assert per_state(terraform_db) == {
        "empty": ["ok", 1, 0, 0], "legacy": ["failed", None, None, 0],
        "network": ["ok", 8, 9, 9], "shared": ["failed", 3, 2, 2],
    }


def test_s3_source_with_workspaces_through_the_account_role(
    terraform_db: str, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials(monkeypatch)
    account = AwsAccount(id="444444444444", role_arn="arn:aws:iam::444444444444:role/CloudForgeReadOnly")
    aws = AwsSettings(mode="demo", endpoint_url=moto_endpoint, regions=["us-east-1"], accounts=[account])
    s3 = open_account(aws, account).client("s3", "us-east-1")
    s3.create_bucket(Bucket="tfstate-declared")
    network = (Path(__file__).parents[2] / "support/terraform_states/network/terraform.tfstate").read_bytes()
    for key in ("states/network/terraform.tfstate", "env:/staging/states/network/terraform.tfstate",
                "other/terraform.tfstate", "env:/staging/other/terraform.tfstate", "states/README.md"):
        s3.put_object(Bucket="tfstate-declared", Key=key, Body=network)
    terraform = TerraformSettings(state_sources=[{"uri": "s3://tfstate-declared/states", "account_id": account.id}])
    assets, checks = build_terraform_assets(terraform, aws, Clock())

    result = dg.materialize([*assets, *checks], resources={"warehouse": WarehouseResource(database_url=terraform_db)})

    materialization = result.asset_materializations_for_node(assets[0].op.name)[0]
    assert materialization.metadata["states_loaded"].value == 2
    assert materialization.metadata["rows"].value == 18
    with psycopg.connect(terraform_db) as conn:
        assert conn.execute("SELECT source_uri, workspace, serial FROM raw_terraform.states ORDER BY 1").fetchall() == [
            ("s3://tfstate-declared/env:/staging/states/network/terraform.tfstate", "staging", 7),
            ("s3://tfstate-declared/states/network/terraform.tfstate", "default", 7),
        ]
    # Both workspaces declare the same resources: each of the 7 mapped ones is a conflict.
    checks_passed = {evaluation.check_name: (evaluation.passed, evaluation.metadata["count"].value)
                     for evaluation in result.get_asset_check_evaluations()}
    assert checks_passed == {"terraform_single_declaration": (False, 7), "terraform_states_ok": (True, 0)}


def test_no_secret_reaches_the_warehouse_events_logs_or_errors(
    terraform_db: str, states: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (states / "broken").mkdir()  # an error whose file holds a secret
    (states / "broken" / "terraform.tfstate").write_text(f'{{"version": 4, "serial": "{CANARY}-broken"}}')
    assets, checks = build_terraform_assets(TerraformSettings(state_sources=[str(states)]), AwsSettings(), Clock())
    instance = dg.DagsterInstance.ephemeral()
    with caplog.at_level(logging.DEBUG):
        result = dg.materialize([*assets, *checks], instance=instance,
                                resources={"warehouse": WarehouseResource(database_url=terraform_db)})
    assert result.success
    with psycopg.connect(terraform_db) as conn:
        dumped = [conn.execute(f"SELECT to_jsonb(t)::text FROM raw_terraform.{table} t").fetchall()
                  for table in ("states", "declared_resources")]
    assert sum(map(len, dumped)) == 5 + 11
    assert "(redacted)" in str(dumped)
    events = [repr(entry) for entry in instance.all_logs(result.run_id)]  # events and log lines of the run
    assert any("state format version 3" in event for event in events)  # the errors are there
    assert any("3 states loaded (11 resources), 0 unchanged, 2 failed, 0 removed" in event for event in events)
    assert CANARY not in str(dumped)
    assert all(CANARY not in event for event in events)
    assert CANARY not in caplog.text


def test_asset_is_built_only_when_sources_are_configured() -> None:
    assert build_terraform_assets(TerraformSettings(), AwsSettings(), Clock()) == ([], [])
    with pytest.raises(ValueError, match="names account 999999999999, which is not in aws.accounts"):
        Settings(terraform={"state_sources": [{"uri": "s3://b/p", "account_id": "999999999999"}]})


def test_fields_holding_copys_special_characters_arrive_exactly(terraform_db: str, tmp_path: Path, clock: Clock) -> None:
    """The rows are rendered in COPY's text format by hand: a backslash, tab, newline or carriage return in a
    name, a for_each key or an attribute (JSON escapes its own, so only its backslashes are COPY's to escape)
    arrives as written."""
    key, tags = 'a\\b\t"c"\nd', {"Name": "x\ty\r\nz", "path": "C:\\temp\\", "quote": 'say "hi"'}
    state = {"version": 4, "serial": 1, "lineage": "l", "resources": [{
        "mode": "managed", "type": "aws_vpc", "name": "main\\net", "provider": "provider[\"aws\"]",
        "instances": [{"index_key": key, "attributes": {"id": "vpc-1", "cidr_block": "10.0.0.0/16", "tags": tags}}],
    }]}
    (tmp_path / "special").mkdir()
    (tmp_path / "special" / "terraform.tfstate").write_text(json.dumps(state))
    with psycopg.connect(terraform_db, autocommit=True) as conn:
        assert load_sources(conn, [(str(tmp_path), no_s3)], clock.now()).rows == 1
        row = conn.execute("SELECT address, name, index_key, provider, attributes FROM raw_terraform.declared_resources"
                           ).fetchone()
    assert row == ('aws_vpc.main\\net["a\\\\b\\t\\"c\\"\\nd"]', "main\\net", key, 'provider["aws"]',
                   {"cidr_block": "10.0.0.0/16", "tags": tags})
