"""Plans judged with the AWS provider's defaults, and values known only after apply reported, never passed.

One case per policy of the library: a plan whose resource leaves out every attribute the policy reads
(beyond what Terraform requires). An attribute with a provider default takes it; one AWS computes is planned
as unknown (``after_unknown``), as `terraform plan` does; the verdict is what that implies.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from cloudforge.cli.policy import policy
from cloudforge.clock import Clock
from policies.check import check_plan
from policies.config import PolicyConfig
from policies.documents import from_inventory, from_plan
from policies.documents.plan import INVENTORY_ONLY
from policies.evaluate import evaluate
from policies.library import load_library

TAGS = {"env": "prod", "team": "web", "project": "shop", "owner": "alice"}  # every required tag

# policy id -> (Terraform type, planned ``after`` without the attributes the policy reads, attributes planned
# as unknown, the verdict: "deny", "pass" (judged, nothing wrong), "unknown" (reported unknown at plan time))
CASES: dict[str, tuple[str, dict[str, Any], tuple[str, ...], str]] = {
    # no inline rules and no rule resources: nothing is open
    "CF-AWS-EC2-001": ("aws_security_group", {"name": "web"}, (), "pass"),
    "CF-AWS-EC2-002": ("aws_security_group", {"name": "web"}, (), "pass"),
    "CF-AWS-EC2-003": ("aws_default_security_group", {}, (), "pass"),
    "CF-AWS-EC2-004": ("aws_security_group", {"name": "web"}, (), "pass"),
    "CF-AWS-EC2-005": ("aws_security_group", {"name": "web"}, (), "pass"),
    # metadata_options left out: http_tokens defaults to "optional", so IMDSv1 stays on
    "CF-AWS-EC2-006": ("aws_instance", {"instance_type": "t3.micro"}, (), "deny"),
    # AWS decides the public IP from the subnet: unknown until apply
    "CF-AWS-EC2-007": (
        "aws_instance",
        {"instance_type": "t3.micro"},
        ("associate_public_ip_address",),
        "unknown",
    ),
    # encryption follows the account's default encryption setting: unknown until apply
    "CF-AWS-EC2-008": ("aws_ebs_volume", {"size": 8}, ("encrypted",), "unknown"),
    "CF-AWS-EC2-009": ("aws_ebs_snapshot", {"volume_id": "vol-1"}, ("encrypted", "volume_size"), "unknown"),
    # a volume, snapshot or address being created is not unattached, old or idle yet
    "CF-AWS-EC2-010": ("aws_ebs_volume", {"size": 8, "type": "gp3"}, (), "pass"),
    "CF-AWS-EC2-011": ("aws_eip", {}, (), "pass"),
    "CF-AWS-EC2-012": ("aws_ebs_snapshot", {"volume_id": "vol-1"}, (), "pass"),
    "CF-AWS-EC2-013": ("aws_instance", {"instance_type": "t3.micro"}, (), "pass"),
    "CF-AWS-EC2-014": ("aws_instance", {"instance_type": "t3.micro"}, (), "pass"),
    "CF-AWS-EC2-015": ("aws_instance", {"instance_type": "t3.micro"}, (), "pass"),
    # type left out: the provider's default is gp2
    "CF-AWS-EC2-016": ("aws_ebs_volume", {"size": 8}, (), "deny"),
    # root_block_device left out: encrypted defaults to false; AWS planning it (after_unknown): unknown
    "CF-AWS-EC2-017": ("aws_instance", {"instance_type": "t3.micro"}, (), "deny"),
    # monitoring defaults to false; no iam_instance_profile, no profile
    "CF-AWS-EC2-018": ("aws_instance", {"instance_type": "t3.micro"}, (), "deny"),
    "CF-AWS-EC2-019": ("aws_instance", {"instance_type": "t3.micro"}, (), "deny"),
    # no egress argument and no rule resources: Terraform removes AWS's default allow-all rule
    "CF-AWS-EC2-020": ("aws_security_group", {"name": "web"}, (), "pass"),
    # no inline rules and no rule resources: nothing is open
    "CF-AWS-EC2-021": ("aws_security_group", {"name": "files"}, (), "pass"),
    # enabled defaults to true
    "CF-AWS-EC2-022": ("aws_ebs_encryption_by_default", {}, (), "pass"),
    # no ingress blocks and no aws_network_acl_rule: only AWS's final deny-all
    "CF-AWS-VPC-002": ("aws_network_acl", {"vpc_id": "vpc-1"}, (), "pass"),
    "CF-AWS-VPC-003": ("aws_network_acl", {"vpc_id": "vpc-1"}, (), "pass"),
    # no aws_flow_log declared for the VPC: its traffic is not logged
    # no aws_flow_log in the plan: another stack's or the organisation's may record it, known on apply
    "CF-AWS-VPC-004": ("aws_vpc", {"cidr_block": "10.0.0.0/16"}, (), "unknown"),
    # all_supported defaults to true, but without an aws_config_configuration_recorder_status it is stopped
    "CF-AWS-CONFIG-001": ("aws_config_configuration_recorder", {"role_arn": "arn:aws:iam::1:role/c"}, (), "deny"),
    # encrypted defaults to false
    "CF-AWS-EFS-001": ("aws_efs_file_system", {}, (), "deny"),
    # declaring the account enables Security Hub; enable defaults to true
    "CF-AWS-SECURITYHUB-001": ("aws_securityhub_account", {}, (), "pass"),
    "CF-AWS-GUARDDUTY-001": ("aws_guardduty_detector", {}, (), "pass"),
    # subnets are planned from references: unknown until apply
    "CF-AWS-ELB-001": ("aws_lb", {"name": "web"}, ("subnets",), "unknown"),
    # no login profile, no access keys
    "CF-AWS-IAM-001": ("aws_iam_user", {"name": "alice"}, (), "pass"),
    "CF-AWS-IAM-002": ("aws_iam_user", {"name": "alice"}, (), "pass"),
    "CF-AWS-IAM-003": ("aws_iam_user", {"name": "alice"}, (), "pass"),
    "CF-AWS-IAM-004": ("aws_iam_user", {"name": "alice"}, (), "pass"),
    # no aws_iam_user_policy_attachment nor aws_iam_user_policy: nothing given to the user directly
    "CF-AWS-IAM-013": ("aws_iam_user", {"name": "alice"}, (), "pass"),
    # no login profile, no access key
    "CF-AWS-IAM-014": ("aws_iam_user", {"name": "alice"}, (), "pass"),
    # the policy document is often built from references (aws_iam_policy_document): unknown until apply
    "CF-AWS-IAM-015": ("aws_iam_policy", {"name": "app"}, ("policy",), "unknown"),
    # AWS reads the expiry from the certificate body
    "CF-AWS-IAM-016": ("aws_iam_server_certificate", {"name": "web"}, ("expiration",), "unknown"),
    # minimum_password_length defaults to 6; password_reuse_prevention has no default: reuse allowed
    "CF-AWS-IAM-006": ("aws_iam_account_password_policy", {}, (), "deny"),
    "CF-AWS-IAM-007": ("aws_iam_account_password_policy", {}, (), "deny"),
    # the trust policy is often built from references: unknown until apply
    "CF-AWS-IAM-005": ("aws_iam_role", {"name": "app"}, ("assume_role_policy",), "unknown"),
    # enable_key_rotation defaults to false (is_enabled to true, the spec to SYMMETRIC_DEFAULT)
    "CF-AWS-KMS-001": ("aws_kms_key", {}, (), "deny"),
    "CF-AWS-KMS-002": ("aws_kms_key", {}, (), "pass"),
    # no kms_key_id: CloudWatch Logs' own encryption; retention_in_days defaults to 0, events never expire
    "CF-AWS-CW-001": ("aws_cloudwatch_log_group", {"name": "/app/api"}, (), "deny"),
    "CF-AWS-CW-002": ("aws_cloudwatch_log_group", {"name": "/app/api"}, (), "pass"),
    # enable_log_file_validation defaults to false; no kms_key_id, no KMS key; the bucket's access logging is
    # another resource's, known on apply
    "CF-AWS-CT-001": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CT-002": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "unknown"),
    "CF-AWS-CT-003": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    # without event selector blocks AWS records all management events and no data events (CT-004..006
    # judge the account, inventory only); an analyzer's type defaults to ACCOUNT, an external access one
    "CF-AWS-IAM-017": ("aws_accessanalyzer_analyzer", {"analyzer_name": "external"}, (), "pass"),
    # cloud_watch_logs_group_arn left out: the trail delivers nothing to CloudWatch Logs, no filter can alarm
    "CF-AWS-CW-003": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-004": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-005": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-006": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-007": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-008": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-009": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-010": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-011": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-012": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-013": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-014": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-015": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-016": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    "CF-AWS-CW-017": ("aws_cloudtrail", {"name": "main", "s3_bucket_name": "acme-trail"}, (), "deny"),
    # a runtime computed from a variable file: unknown until apply
    "CF-AWS-LAMBDA-001": ("aws_lambda_function", {"function_name": "fn"}, ("runtime",), "unknown"),
    # storage_encrypted and deletion_protection default to false; publicly_accessible to false,
    # auto_minor_version_upgrade to true; the backup retention is computed by AWS
    "CF-AWS-RDS-001": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    "CF-AWS-RDS-002": ("aws_db_instance", {"identifier": "db"}, (), "pass"),
    "CF-AWS-RDS-003": ("aws_db_instance", {"identifier": "db"}, ("backup_retention_period",), "unknown"),
    "CF-AWS-RDS-004": ("aws_db_instance", {"identifier": "db"}, (), "pass"),
    "CF-AWS-RDS-005": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    # multi_az, iam_database_authentication_enabled, performance_insights_enabled, copy_tags_to_snapshot
    # default to false, monitoring_interval to 0, enabled_cloudwatch_logs_exports to none
    "CF-AWS-RDS-006": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    "CF-AWS-RDS-007": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    "CF-AWS-RDS-008": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    "CF-AWS-RDS-009": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    "CF-AWS-RDS-010": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    "CF-AWS-RDS-011": ("aws_db_instance", {"identifier": "db"}, (), "deny"),
    # a bucket without companion resources has no public access block, encryption or versioning
    "CF-AWS-S3-001": ("aws_s3_bucket", {"bucket": "logs"}, (), "deny"),
    "CF-AWS-S3-002": ("aws_s3_bucket", {"bucket": "logs"}, (), "deny"),
    "CF-AWS-S3-003": ("aws_s3_bucket", {"bucket": "logs"}, (), "deny"),
    "CF-AWS-S3-004": ("aws_s3_bucket", {"bucket": "logs"}, (), "deny"),
    # no aws_s3_bucket_logging, no aws_s3_bucket_policy: no logging, plain HTTP allowed
    "CF-AWS-S3-005": ("aws_s3_bucket", {"bucket": "logs"}, (), "deny"),
    "CF-AWS-S3-006": ("aws_s3_bucket", {"bucket": "logs"}, (), "deny"),
    # no ACL and no policy resource: nothing grants public access
    "CF-AWS-S3-007": ("aws_s3_bucket", {"bucket": "logs"}, (), "pass"),
    # map_public_ip_on_launch defaults to false
    "CF-AWS-VPC-001": ("aws_subnet", {"cidr_block": "10.0.1.0/24"}, (), "pass"),
    # tags left out: every required tag is missing; no tag, no disallowed value
    "CF-COMMON-TAG-001": ("aws_kms_key", {"tags": None}, (), "deny"),
    "CF-COMMON-TAG-002": ("aws_kms_key", {"tags": None}, (), "pass"),
}


def _plan(terraform_type: str, after: dict[str, Any], unknown: tuple[str, ...]) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": f"{terraform_type}.this",
                "type": terraform_type,
                "name": "this",
                "change": {
                    "actions": ["create"],
                    "after": {"tags": TAGS} | after,
                    "after_unknown": {attribute: True for attribute in unknown},
                },
            }
        ],
    }


def test_every_policy_has_an_absent_attribute_case() -> None:
    """Every policy a plan can meet: those judging only types no Terraform resource manages have none."""
    policies = load_library().policies
    assert set(CASES) == {p.id for p in policies if not set(p.resource_types) <= INVENTORY_ONLY}
    assert {p.id for p in policies if set(p.resource_types) <= INVENTORY_ONLY} == {
        "CF-AWS-IAM-008", "CF-AWS-IAM-009", "CF-AWS-IAM-010", "CF-AWS-IAM-011", "CF-AWS-IAM-012",
        "CF-AWS-CT-004", "CF-AWS-CT-005", "CF-AWS-CT-006",
    }


@pytest.mark.parametrize("policy_id", sorted(CASES))
def test_a_plan_leaving_out_what_the_policy_reads(policy_id: str, clock: Clock) -> None:
    terraform_type, after, unknown, expected = CASES[policy_id]
    address = f"{terraform_type}.this"
    result = check_plan(_plan(terraform_type, after, unknown), PolicyConfig(), now=clock.now())
    denied = {f.resource_key for f in result.findings if f.policy_id == policy_id}
    undecided = {u.resource_key for u in result.unknown if u.policy_id == policy_id}
    verdict = {(True, False): "deny", (False, True): "unknown", (False, False): "pass"}[
        address in denied, address in undecided
    ]
    assert verdict == expected


def test_a_plan_without_deletion_protection_fails_like_the_inventory(clock: Clock) -> None:
    """CF-AWS-RDS-005: the same instance, planned without the attribute and read from the inventory."""
    planned = from_plan(_plan("aws_db_instance", {"identifier": "db"}, ())).documents
    stored = [("db", "rds_instance", from_inventory("rds_instance", {"DBInstanceIdentifier": "db"}))]
    assert stored[0][2]["deletion_protection"] is False
    for documents in (planned, stored):
        assert [(f.policy_id, f.message) for f in evaluate(documents, now=clock.now()) if f.policy_id == "CF-AWS-RDS-005"] == [
            ("CF-AWS-RDS-005", "deletion protection is off")
        ]


def test_unknown_fields_are_named_and_null_in_the_document() -> None:
    plan = _plan("aws_db_instance", {"identifier": "db"}, ("storage_encrypted", "backup_retention_period"))
    documents = from_plan(plan)
    [(_, _, document)] = documents.documents
    assert (document["storage_encrypted"], document["backup_retention_days"]) == (None, None)
    assert document["deletion_protection"] is False  # left out: the provider's default
    assert documents.unknown == {
        "aws_db_instance.this": frozenset({"storage_encrypted", "backup_retention_days"})
    }


@pytest.mark.parametrize(
    ("metadata_options", "unknown", "required"),
    [
        ([{"http_tokens": "required"}], {}, True),
        ([{"http_endpoint": "enabled"}], {}, False),  # http_tokens left out: "optional"
        ([{"http_endpoint": "enabled"}], {"metadata_options": [{"http_tokens": True}]}, None),
        ([{"http_endpoint": "disabled"}], {"metadata_options": [{"http_tokens": True}]}, True),
        (None, {"metadata_options": True}, None),
    ],
)
def test_instance_metadata_options_default_and_unknown(
    metadata_options: Any, unknown: dict[str, Any], required: bool | None
) -> None:
    plan = _plan("aws_instance", {"instance_type": "t3.micro", "metadata_options": metadata_options}, ())
    plan["resource_changes"][0]["change"]["after_unknown"] = unknown
    documents = from_plan(plan)
    [(_, _, document)] = documents.documents
    assert document["imdsv2_required"] is required
    assert ("imdsv2_required" in documents.unknown.get("aws_instance.this", ())) is (required is None)


@pytest.mark.parametrize(
    ("root_block_device", "unknown", "encrypted"),
    [
        ([{"encrypted": True}], {}, True),
        (None, {}, False),  # left out: the provider's default
        ([{"volume_size": 20}], {}, False),
        ([{"volume_size": 20}], {"root_block_device": [{"encrypted": True}]}, None),
        (None, {"root_block_device": True}, None),
    ],
)
def test_instance_root_volume_encryption_default_and_unknown(
    root_block_device: Any, unknown: dict[str, Any], encrypted: bool | None
) -> None:
    plan = _plan("aws_instance", {"instance_type": "t3.micro", "root_block_device": root_block_device}, ())
    plan["resource_changes"][0]["change"]["after_unknown"] = unknown
    documents = from_plan(plan)
    [(_, _, document)] = documents.documents
    assert document["root_volume_encrypted"] is encrypted
    assert ("root_volume_encrypted" in documents.unknown.get("aws_instance.this", ())) is (encrypted is None)


def test_unknown_is_listed_in_every_format_and_fails_only_when_asked(tmp_path) -> None:
    plan_file = tmp_path / "plan.json"
    after = {
        "identifier": "db",
        "storage_encrypted": True,
        "deletion_protection": True,
        "multi_az": True,
        "iam_database_authentication_enabled": True,
        "enabled_cloudwatch_logs_exports": ["postgresql"],
        "monitoring_interval": 60,
        "performance_insights_enabled": True,
        "copy_tags_to_snapshot": True,
    }
    plan_file.write_text(json.dumps(_plan("aws_db_instance", after, ("backup_retention_period",))))
    runner = CliRunner()
    table = runner.invoke(policy, ["check", str(plan_file)])
    assert table.exit_code == 0
    assert "CF-AWS-RDS-003  aws_db_instance.this  backup_retention_days" in table.output
    assert table.output.endswith(
        "PASSED: no findings; 1 resources evaluated, 1 policy verdicts unknown at plan time\n"
    )
    document = json.loads(runner.invoke(policy, ["check", str(plan_file), "--format", "json"]).output)
    assert (document["passed"], document["findings"]) == (True, [])
    assert document["unknown"] == [
        {
            "policy_id": "CF-AWS-RDS-003",
            "title": document["unknown"][0]["title"],
            "severity": "medium",
            "resource": "aws_db_instance.this",
            "resource_type": "rds_instance",
            "status": "unknown at plan time",
            "fields": ["backup_retention_days"],
        }
    ]
    sarif = json.loads(runner.invoke(policy, ["check", str(plan_file), "--format", "sarif"]).output)
    [result] = sarif["runs"][0]["results"]
    assert (result["ruleId"], result["kind"], result["level"], result["message"]["text"]) == (
        "CF-AWS-RDS-003",
        "open",
        "none",
        "aws_db_instance.this: unknown at plan time: backup_retention_days known only after apply",
    )
    assert runner.invoke(policy, ["check", str(plan_file), "--fail-on-unknown"]).exit_code == 1


def test_types_the_plan_check_used_to_skip_are_judged_where_a_policy_exists(clock: Clock) -> None:
    """Default VPCs and subnets, classic load balancers, snapshot copies and log groups; a queue, which no
    policy covers, stays listed as skipped."""
    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": f"{terraform_type}.this",
                "type": terraform_type,
                "name": "this",
                "change": {"actions": ["create"], "after": {"tags": TAGS} | after, "after_unknown": {}},
            }
            for terraform_type, after in (
                ("aws_default_vpc", {"cidr_block": "172.31.0.0/16"}),
                ("aws_default_subnet", {"availability_zone": "eu-west-1a"}),
                ("aws_elb", {"name": "classic", "availability_zones": ["eu-west-1a"]}),
                ("aws_ebs_snapshot_copy", {"source_snapshot_id": "snap-1", "encrypted": False}),
                ("aws_cloudwatch_log_group", {"name": "app"}),
                ("aws_sqs_queue", {"name": "jobs"}),
            )
        ],
    }
    result = check_plan(plan, PolicyConfig(), now=clock.now())
    assert result.evaluated == (
        ("aws_default_vpc.this", "vpc"),
        ("aws_default_subnet.this", "subnet"),
        ("aws_elb.this", "load_balancer"),
        ("aws_ebs_snapshot_copy.this", "ebs_snapshot"),
        ("aws_cloudwatch_log_group.this", "cloudwatch_log_group"),
    )
    assert result.skipped == (("aws_sqs_queue.this", "aws_sqs_queue"),)
    assert [(f.policy_id, f.resource_key) for f in result.findings] == [
        ("CF-AWS-CW-001", "aws_cloudwatch_log_group.this"),  # no KMS key
        ("CF-AWS-EC2-009", "aws_ebs_snapshot_copy.this"),  # not encrypted
        ("CF-AWS-ELB-001", "aws_elb.this"),  # one Availability Zone
        ("CF-AWS-VPC-001", "aws_default_subnet.this"),  # default subnets assign public IPs
    ]


def test_a_plan_declaring_only_an_unused_access_analyzer_fails_like_the_inventory(clock: Clock) -> None:
    """CF-AWS-IAM-017 fires on a plan; CT-004..006 judge the account's trails, which no plan shows whole."""
    planned = _plan("aws_accessanalyzer_analyzer", {"analyzer_name": "unused", "type": "ACCOUNT_UNUSED_ACCESS"}, ())
    result = check_plan(planned, PolicyConfig(), now=clock.now())
    assert [(f.policy_id, f.resource_key, f.message) for f in result.findings] == [(
        "CF-AWS-IAM-017", "aws_accessanalyzer_analyzer.this",
        "no active external access analyzer in the region (has unused: ACCOUNT_UNUSED_ACCESS ACTIVE)")]
