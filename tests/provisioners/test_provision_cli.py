"""`cloudforge provision` end to end on the embedded PostgreSQL and the moto server: plan, a refused apply,
approve, apply into the request's account, status, destroy."""

from __future__ import annotations

from click.testing import CliRunner

from cloudforge.cli import main
from provisioners.blueprints.request import request_id
from tests.provisioners.conftest import TAGS, needs_bundled_migrations

pytestmark = needs_bundled_migrations

REQUEST = """name: cli-site
blueprint: static-site
account: "222222222222"
region: eu-west-1
requested_by: alice@example.com
tags: {team: %(team)s, project: %(project)s, env: %(env)s, owner: %(owner)s}
"""


def test_plan_approve_apply_status_destroy(tmp_path, ledger_url, moto_endpoint, monkeypatch):
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", ledger_url)
    monkeypatch.setenv("CLOUDFORGE_AWS__ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    path = tmp_path / "site.yaml"
    path.write_text(REQUEST % TAGS)
    cli = CliRunner()

    planned = cli.invoke(main, ["provision", "plan", str(path)])
    assert planned.exit_code == 0, planned.output
    assert "awaiting_approval" in planned.output and "12 resources, in order:" in planned.output

    refused = cli.invoke(main, ["provision", "apply", str(path)])
    assert refused.exit_code == 1 and "is awaiting_approval (1 approval(s), has 0)" in refused.output

    approved = cli.invoke(main, ["provision", "approve", str(path), "--by", "bob"])
    assert approved.exit_code == 0 and "approved (1 of 1 approvals)" in approved.output

    applied = cli.invoke(main, ["provision", "apply", str(path), "--workers", "2"])
    assert applied.exit_code == 0 and "apply 12 done, 0 already done" in applied.output, applied.output

    status = cli.invoke(main, ["provision", "status", str(path)])
    assert ": applied; approvals bob of 1" in status.output
    assert "created   not synced" in status.output  # no `cloudforge run` since: not matched to the inventory yet

    import boto3

    sts = boto3.client("sts", endpoint_url=moto_endpoint, region_name="eu-west-1")
    keys = sts.assume_role(RoleArn="arn:aws:iam::222222222222:role/x", RoleSessionName="test")["Credentials"]
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-1",
                      aws_access_key_id=keys["AccessKeyId"], aws_secret_access_key=keys["SecretAccessKey"],
                      aws_session_token=keys["SessionToken"])  # fmt: skip
    prefix = f"cf-{request_id('222222222222', 'eu-west-1', 'cli-site')}"
    names = sorted(b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(prefix))
    assert names == [f"{prefix}-access-logs", f"{prefix}-site"]
    assert s3.get_bucket_versioning(Bucket=names[1])["Status"] == "Enabled"
    assert s3.get_bucket_logging(Bucket=names[1])["LoggingEnabled"] == {
        "TargetBucket": names[0], "TargetPrefix": "site/"}  # fmt: skip

    destroyed = cli.invoke(main, ["provision", "destroy", str(path)])
    assert destroyed.exit_code == 0, destroyed.output
    assert [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(prefix)] == []
