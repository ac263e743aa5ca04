"""Evaluation end to end: raw inventory documents -> normalised documents -> the whole library -> findings."""

from __future__ import annotations

import json

from datetime import UTC, datetime
from pathlib import Path

import pytest

from policies.config import PolicyConfig
from policies.documents import from_inventory
from policies.evaluate import Evaluator, Finding, PolicyEvaluationError

NOW = datetime(2025, 6, 1, tzinfo=UTC)
COMPLETE = {"team": "data", "project": "lake", "env": "prod", "owner": "data@example.com"}


def _tags(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(values.items())]


ALL_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}

# (key, type, raw inventory document): each misconfiguration is planted on purpose.
RAW = [
    (
        "a/us-east-1/s3_bucket/logs",  # no encryption, public access block, MFA Delete, logging or TLS policy
        "s3_bucket",
        {
            "Name": "logs",
            "ServerSideEncryptionConfiguration": None,
            "Versioning": {"Status": "Enabled"},
            "PublicAccessBlockConfiguration": None,
            "Tags": _tags(COMPLETE),
        },
    ),
    (
        "a/us-east-1/s3_bucket/secure",  # compliant
        "s3_bucket",
        {
            "Name": "secure",
            "ServerSideEncryptionConfiguration": {
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
            "Versioning": {"Status": "Enabled", "MFADelete": "Enabled"},
            "PublicAccessBlockConfiguration": ALL_ON,
            "LoggingEnabled": {"TargetBucket": "logs", "TargetPrefix": "secure/"},
            "Policy": json.dumps(
                {
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ]
                }
            ),
            "Tags": _tags(COMPLETE),
        },
    ),
    (
        # IMDSv1, public IP, t2 (older generation, and not allowed in dev), basic monitoring, no instance profile
        "a/us-east-1/ec2_instance/i-1",
        "ec2_instance",
        {
            "InstanceId": "i-1",
            "InstanceType": "t2.micro",
            "State": {"Name": "running"},
            "PublicIpAddress": "54.0.0.1",
            "MetadataOptions": {"HttpTokens": "optional"},
            "BlockDeviceMappings": [{"Ebs": {"VolumeId": "vol-1"}}],
            "Tags": _tags({**COMPLETE, "env": "dev"}),
        },
    ),
    (
        "a/us-east-1/ec2_instance/i-gone",  # terminated: nothing
        "ec2_instance",
        {"InstanceId": "i-gone", "InstanceType": "t2.micro", "State": {"Name": "terminated"}, "Tags": []},
    ),
    (
        "a/us-east-1/ebs_volume/vol-2",  # unencrypted, unattached, gp2, no owner tag
        "ebs_volume",
        {
            "VolumeId": "vol-2",
            "Size": 50,
            "VolumeType": "gp2",
            "Encrypted": False,
            "State": "available",
            "Tags": _tags({k: v for k, v in COMPLETE.items() if k != "owner"}),
        },
    ),
    (
        "a/us-east-1/security_group/sg-web",  # SSH open to the world
        "security_group",
        {
            "GroupId": "sg-web",
            "GroupName": "web",
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            ],
            "IpPermissionsEgress": [],
            "Tags": _tags(COMPLETE),
        },
    ),
    (
        "a/us-east-1/security_group/sg-default",  # default group with its default egress rule (all out)
        "security_group",
        {
            "GroupId": "sg-default",
            "GroupName": "default",
            "IpPermissions": [],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
            "Tags": _tags(COMPLETE),
        },
    ),
    (
        "a/global/iam_user/alice",  # console without MFA, key 151 days old, env value not allowed
        "iam_user",
        {
            "UserName": "alice",
            "CreateDate": "2024-01-01T00:00:00+00:00",
            "PasswordLastUsed": "2025-05-30T00:00:00+00:00",
            "LoginProfile": {"UserName": "alice"},
            "MFADevices": [],
            "AccessKeys": [
                {
                    "AccessKeyId": "AKIA1",
                    "Status": "Active",
                    "CreateDate": "2025-01-01T00:00:00+00:00",
                    "LastUsedDate": "2025-05-31T00:00:00+00:00",
                }
            ],
            "Tags": _tags({**COMPLETE, "env": "Production"}),
        },
    ),
    (
        "a/us-east-1/kms_key/k-1",  # customer key without rotation
        "kms_key",
        {
            "KeyId": "k-1",
            "KeyManager": "CUSTOMER",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "KeyState": "Enabled",
            "KeyRotationEnabled": False,
            "Tags": _tags(COMPLETE),
        },
    ),
    (
        "a/us-east-1/kms_key/k-aws",  # AWS managed, untagged: nothing
        "kms_key",
        {
            "KeyId": "k-aws",
            "KeyManager": "AWS",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "KeyState": "Enabled",
            "Tags": [],
        },
    ),
    (
        # public, unencrypted, no backups, no deletion protection; single-AZ, no IAM authentication, no log
        # exports, enhanced monitoring or tag copying; Performance Insights not reported (unknown)
        "a/us-east-1/rds_instance/orders",
        "rds_instance",
        {
            "DBInstanceIdentifier": "orders",
            "StorageEncrypted": False,
            "PubliclyAccessible": True,
            "BackupRetentionPeriod": 0,
            "DeletionProtection": False,
            "AutoMinorVersionUpgrade": True,
            "Tags": _tags(COMPLETE),
        },
    ),
]

EXPECTED = [
    (
        "CF-AWS-EC2-001",
        "a/us-east-1/security_group/sg-web",
        "high",
        "SSH (22/tcp) open to the internet: tcp 22-22 from 0.0.0.0/0",
    ),
    (
        "CF-AWS-EC2-003",
        "a/us-east-1/security_group/sg-default",
        "medium",
        "default security group has 0 inbound and 1 outbound rules",
    ),
    (
        "CF-AWS-EC2-006",
        "a/us-east-1/ec2_instance/i-1",
        "medium",
        "instance metadata service accepts IMDSv1 (HttpTokens is not required)",
    ),
    ("CF-AWS-EC2-007", "a/us-east-1/ec2_instance/i-1", "medium", "instance has a public IPv4 address"),
    ("CF-AWS-EC2-008", "a/us-east-1/ebs_volume/vol-2", "high", "volume is not encrypted"),
    (
        "CF-AWS-EC2-010",
        "a/us-east-1/ebs_volume/vol-2",
        "low",
        "50 GiB gp2 volume is not attached to any instance",
    ),
    (
        "CF-AWS-EC2-014",
        "a/us-east-1/ec2_instance/i-1",
        "medium",
        "instance family t2 is not allowed in env dev (allowed: t3, t4g)",
    ),
    (
        "CF-AWS-EC2-015",
        "a/us-east-1/ec2_instance/i-1",
        "low",
        "t2.micro is an older generation; t3 costs less for the same capacity",
    ),
    ("CF-AWS-EC2-016", "a/us-east-1/ebs_volume/vol-2", "low", "50 GiB gp2 volume: gp3 costs about 20% less"),
    ("CF-AWS-EC2-018", "a/us-east-1/ec2_instance/i-1", "low", "detailed monitoring is off"),
    ("CF-AWS-EC2-019", "a/us-east-1/ec2_instance/i-1", "medium", "no IAM instance profile is attached"),
    (
        "CF-AWS-EC2-020",
        "a/us-east-1/security_group/sg-default",
        "low",
        "all traffic open to the internet: all 0-65535 from 0.0.0.0/0",
    ),
    ("CF-AWS-IAM-001", "a/global/iam_user/alice", "high", "console password without MFA"),
    (
        "CF-AWS-IAM-002",
        "a/global/iam_user/alice",
        "medium",
        "active access keys older than 90 days: AKIA1 is 151 days old",
    ),
    ("CF-AWS-KMS-001", "a/us-east-1/kms_key/k-1", "medium", "automatic key rotation is disabled"),
    ("CF-AWS-RDS-001", "a/us-east-1/rds_instance/orders", "high", "storage is not encrypted"),
    ("CF-AWS-RDS-002", "a/us-east-1/rds_instance/orders", "critical", "instance is publicly accessible"),
    ("CF-AWS-RDS-003", "a/us-east-1/rds_instance/orders", "medium", "automated backups are disabled"),
    ("CF-AWS-RDS-005", "a/us-east-1/rds_instance/orders", "low", "deletion protection is off"),
    ("CF-AWS-RDS-006", "a/us-east-1/rds_instance/orders", "medium", "not Multi-AZ"),
    ("CF-AWS-RDS-007", "a/us-east-1/rds_instance/orders", "medium", "IAM database authentication is off"),
    ("CF-AWS-RDS-008", "a/us-east-1/rds_instance/orders", "medium", "no logs exported to CloudWatch Logs"),
    ("CF-AWS-RDS-009", "a/us-east-1/rds_instance/orders", "low", "enhanced monitoring is off"),
    ("CF-AWS-RDS-011", "a/us-east-1/rds_instance/orders", "low", "tags are not copied to snapshots"),
    (
        "CF-AWS-S3-001",
        "a/us-east-1/s3_bucket/logs",
        "high",
        "public access block settings off: "
        "block_public_acls, ignore_public_acls, block_public_policy, restrict_public_buckets",
    ),
    ("CF-AWS-S3-002", "a/us-east-1/s3_bucket/logs", "high", "no default server-side encryption configured"),
    ("CF-AWS-S3-004", "a/us-east-1/s3_bucket/logs", "low", "MFA Delete is not enabled"),
    ("CF-AWS-S3-005", "a/us-east-1/s3_bucket/logs", "low", "server access logging is off"),
    (
        "CF-AWS-S3-006",
        "a/us-east-1/s3_bucket/logs",
        "medium",
        "the bucket policy does not deny requests without TLS",
    ),
    ("CF-COMMON-TAG-001", "a/us-east-1/ebs_volume/vol-2", "medium", "missing required tags: owner"),
    (
        "CF-COMMON-TAG-002",
        "a/global/iam_user/alice",
        "low",
        "tag env=Production is not allowed (allowed: prod, staging, dev)",
    ),
]

CONFIG = PolicyConfig(
    required_tags=["team", "project", "env", "owner"],
    allowed_tag_values={"env": ["prod", "staging", "dev"]},
    instance_families={"dev": ["t3", "t4g"]},
)


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator(CONFIG)


def _documents() -> list[tuple[str, str, dict]]:
    return [(key, resource_type, from_inventory(resource_type, raw)) for key, resource_type, raw in RAW]


def test_exact_findings_for_planted_misconfigurations(evaluator: Evaluator) -> None:
    findings = evaluator.evaluate(_documents(), NOW)
    types = {key: resource_type for key, resource_type, _ in RAW}
    assert findings == [
        Finding(p, key, types[key], severity, message) for p, key, severity, message in EXPECTED
    ]


def test_batches_give_the_same_findings(evaluator: Evaluator) -> None:
    assert evaluator.evaluate(_documents(), NOW, batch_size=3) == evaluator.evaluate(_documents(), NOW)


def test_now_decides_ages(evaluator: Evaluator) -> None:
    early = evaluator.evaluate(_documents(), datetime(2025, 3, 1, tzinfo=UTC))
    assert "CF-AWS-IAM-002" not in {f.policy_id for f in early}


def test_config_drives_tagging_and_families() -> None:
    findings = Evaluator(PolicyConfig(required_tags=["cost-center"])).evaluate(_documents(), NOW)
    tagging = {f.resource_key for f in findings if f.policy_id == "CF-COMMON-TAG-001"}
    assert tagging == {
        key
        for key, _, raw in RAW
        if key not in {"a/us-east-1/ec2_instance/i-gone", "a/us-east-1/kms_key/k-aws"}
    }
    assert {f.policy_id for f in findings} & {"CF-COMMON-TAG-002", "CF-AWS-EC2-014"} == set()


def test_duplicate_keys_and_unknown_types_are_rejected(evaluator: Evaluator) -> None:
    doc = {"tags": {}}
    with pytest.raises(ValueError, match="resource key 'k' appears twice"):
        evaluator.evaluate([("k", "vpc", doc), ("k", "subnet", doc)], NOW)
    with pytest.raises(ValueError, match="resource 'k' has unknown type 'bucket'"):
        evaluator.evaluate([("k", "bucket", doc)], NOW)


def test_policy_returning_a_resource_outside_its_input_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "demo" / "stray.rego"
    path.parent.mkdir()
    path.write_text(
        "# METADATA\n# title: Stray\n# description: Bad.\n# custom:\n#   id: X-1\n#   severity: low\n"
        "#   resource_types: [vpc]\n#   remediation: None.\npackage demo.stray\n\nimport rego.v1\n\n"
        'deny contains {"resource": "elsewhere", "message": "m"} if count(input.resources.vpc) > 0\n'
    )
    with pytest.raises(PolicyEvaluationError, match=r"stray.rego: X-1 returned resource 'elsewhere'"):
        Evaluator(PolicyConfig(extra_dirs=[tmp_path])).evaluate([("v", "vpc", {"tags": {}})], NOW)


def test_a_policy_judges_only_the_types_it_declares() -> None:
    """The tagging policies go over every type of their input: a batch with an untagged network ACL (a type
    they do not declare) gives no finding on it, and one on the untagged VPC they do declare."""
    documents = [("acl", "network_acl", {"tags": {}}), ("net", "vpc", {"tags": {}})]
    findings = Evaluator(PolicyConfig(required_tags=["team"])).evaluate(documents, NOW)
    assert {(f.policy_id, f.resource_key) for f in findings if f.policy_id.startswith("CF-COMMON-TAG")} == {
        ("CF-COMMON-TAG-001", "net")
    }
