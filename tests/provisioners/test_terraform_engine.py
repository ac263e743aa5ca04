"""The Terraform engine around the terraform binary (which cannot run offline here): the graph as Terraform
JSON, and the gate on `terraform show -json` plans (the policy tests' plan fixtures)."""

from __future__ import annotations

import re
from pathlib import Path

from policies.config import PolicyConfig
from provisioners.blueprints.blueprint import load_blueprint
from provisioners.engines.terraform import S3Backend, gate_plan, terraform_json
from provisioners.graph import render
from tests.provisioners.conftest import make_request
from tests.provisioners.test_apply_moto import NOW

PLANS = Path(__file__).resolve().parents[1] / "policies" / "fixtures"
REFERENCE = re.compile(r"\b(aws_[a-z0-9_]+)\.([\w-]+)\.\w+")


def config_of(blueprint: str, **parameters):
    request = make_request(blueprint, f"tf-{blueprint}", **parameters)
    return request, terraform_json(
        render(load_blueprint(blueprint), request), S3Backend("state", "us-east-1", "locks")
    )


def test_web_service_as_terraform_json():
    request, config = config_of("web-service", instance_count=2)
    resources = config["resource"]
    assert sorted(resources["aws_instance"]) == ["web_0", "web_1"]
    web = resources["aws_instance"]["web_1"]
    assert web["subnet_id"] == "${aws_subnet.private_a.id}"
    assert web["vpc_security_group_ids"] == ["${aws_security_group.app.id}"]
    assert (
        resources["aws_lb_target_group_attachment"]["web_targets_1"]["target_id"]
        == "${aws_instance.web_1.id}"
    )
    assert resources["aws_security_group"]["https"]["ingress"] == [{
        "description": "", "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False,
        "cidr_blocks": ["0.0.0.0/0"], "protocol": "tcp", "from_port": 443, "to_port": 443}]  # fmt: skip
    assert config["terraform"]["backend"]["s3"] == {
        "bucket": "state", "key": f"cloudforge/provisioning/{request.id}.tfstate", "region": "us-east-1",
        "dynamodb_table": "locks", "encrypt": True}  # fmt: skip
    assert config["provider"]["aws"] == {"region": "us-east-1", "allowed_account_ids": ["123456789012"]}


def test_every_reference_names_a_resource_of_the_configuration():
    for blueprint in ("web-service", "database", "static-site", "fleet"):
        _, config = config_of(blueprint)
        declared = {(kind, name) for kind, named in config["resource"].items() for name in named}
        referenced = set(REFERENCE.findall(str(config["resource"])))
        assert referenced and referenced <= declared, blueprint


def test_a_policy_document_keeps_its_references_as_expressions():
    request, config = config_of("static-site")
    policy = config["resource"]["aws_s3_bucket_policy"]["site_policy"]["policy"]
    assert policy.startswith('${jsonencode({"Version": "2012-10-17"')
    objects = f"arn:aws:s3:::cf-{request.id}-site/*"
    assert f'"Resource": [aws_s3_bucket.site.arn, "{objects}"], "Condition"' in policy


def test_the_gate_judges_terraform_plans_like_cloudforge_policy_check():
    assert gate_plan(PLANS / "compliant.plan.json", PolicyConfig(), NOW).passed
    denied = gate_plan(PLANS / "public_unencrypted_bucket.plan.json", PolicyConfig(), NOW)
    # the fixture's log group has no KMS key and keeps events forever: judged like the bucket
    assert not denied.passed and {f.resource_key for f in denied.findings} == {
        "aws_s3_bucket.public", "aws_cloudwatch_log_group.app"}


def test_role_documents_go_through_jsonencode_too():
    _, config = config_of("database")
    role = config["resource"]["aws_iam_role"]["db_monitoring"]
    assert role["assume_role_policy"].startswith(
        '${jsonencode({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Principal": {"Service": "monitoring.rds.amazonaws.com"}'
    )
    assert [block["name"] for block in role["inline_policy"]] == ["enhanced-monitoring"]
    assert role["inline_policy"][0]["policy"].startswith('${jsonencode({"Version": "2012-10-17"')
    database = config["resource"]["aws_db_instance"]["db"]
    assert database["monitoring_role_arn"] == "${aws_iam_role.db_monitoring.arn}"
