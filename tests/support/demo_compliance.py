"""Which demo resources the policies on the security settings of ``demo.compliance`` flag, from the estate.

Shared by the end-to-end comparison of every finding (tests/pipelines/test_compliance_end_to_end.py) and
the per-policy counts (tests/pipelines/test_compliance_settings_end_to_end.py).
"""

from __future__ import annotations

from demo.estate import ROOT_DEVICE, SUPPORT_POLICY, Estate, ResourceSpec


def flagged_by_settings(estate: Estate) -> dict[str, list[ResourceSpec]]:
    """Policy id -> the resources it must flag: every policy on a setting ``demo.compliance`` adds."""

    def where(resource_type: str, condition=lambda attributes: True) -> list[ResourceSpec]:
        return [s for s in estate.resources if s.resource_type == resource_type and condition(s.attributes)]

    unencrypted_roots = {
        (v.account_id, v.region, v.attributes["attached_to"])
        for v in where("ebs_volume", lambda a: a["device"] == ROOT_DEVICE and not a["encrypted"])
    }
    unlogged_buckets = {s.name for s in where("s3_bucket", lambda a: not a["access_logging"])}
    supported = {
        s.account_id for s in where("iam_role", lambda a: SUPPORT_POLICY in a.get("managed_policies", ()))
    }
    given_directly = {(s.account_id, user) for s in where("iam_policy") for user in s.attributes["users"]}
    return {
        "CF-AWS-RDS-006": where("rds_instance", lambda a: not a["multi_az"]),
        "CF-AWS-RDS-007": where("rds_instance", lambda a: not a["iam_auth"]),
        "CF-AWS-RDS-008": where("rds_instance", lambda a: not a["log_exports"]),
        "CF-AWS-RDS-009": where("rds_instance", lambda a: not a["enhanced_monitoring"]),
        "CF-AWS-RDS-010": where("rds_instance", lambda a: not a["performance_insights"]),
        "CF-AWS-RDS-011": where("rds_instance", lambda a: not a["copy_tags_to_snapshot"]),
        "CF-AWS-EC2-017": [
            s for s in where("ec2_instance") if (s.account_id, s.region, s.name) in unencrypted_roots
        ],
        "CF-AWS-EC2-018": where("ec2_instance", lambda a: not a["detailed_monitoring"]),
        "CF-AWS-EC2-019": where("ec2_instance", lambda a: not a["instance_profile"]),
        # the groups AWS creates keep its default allow-all egress rule
        "CF-AWS-EC2-020": [
            s for s in where("security_group") if s.managed_by == "aws" or s.attributes["egress_open"]
        ],
        "CF-AWS-S3-005": where("s3_bucket", lambda a: not a["access_logging"]),
        "CF-AWS-S3-006": where("s3_bucket", lambda a: not a["tls_only"]),
        "CF-AWS-S3-007": where("s3_bucket", lambda a: a["public"] is not None),
        # an account without a password policy (both None) fails both
        "CF-AWS-IAM-006": where("iam_password_policy", lambda a: (a["minimum_password_length"] or 0) < 14),
        "CF-AWS-IAM-007": where("iam_password_policy", lambda a: (a["password_reuse_prevention"] or 0) < 24),
        "CF-AWS-CW-001": where("cloudwatch_log_group", lambda a: a["kms_key"] is None),
        "CF-AWS-CW-002": where("cloudwatch_log_group", lambda a: 0 < a["retention_days"] < 365),
        "CF-AWS-CT-001": where("cloudtrail_trail", lambda a: not a["log_file_validation"]),
        "CF-AWS-CT-002": where("cloudtrail_trail", lambda a: a["bucket"] in unlogged_buckets),
        "CF-AWS-CT-003": where("cloudtrail_trail", lambda a: a["kms_key"] is None),
        # CIS section 4: only the "alarmed" trail has every filter, alarm and subscriber
        **{
            f"CF-AWS-CW-{n:03d}": where("cloudtrail_trail", lambda a: a["monitoring"] != "alarmed")
            for n in range(3, 18)
        },
        "CF-AWS-IAM-001": where("iam_user", lambda a: a["console_password"] and not a["has_mfa"]),
        "CF-AWS-IAM-008": where("iam_account", lambda a: a["root_access_keys"]),
        "CF-AWS-IAM-009": where("iam_account", lambda a: a["root_mfa"] is None),
        "CF-AWS-IAM-010": where("iam_account", lambda a: a["root_mfa"] != "hardware"),
        "CF-AWS-IAM-012": [s for s in where("iam_account") if s.account_id not in supported],
        "CF-AWS-IAM-013": [s for s in where("iam_user") if (s.account_id, s.name) in given_directly],
        # every demo access key is unused: a console user with keys got them at creation
        "CF-AWS-IAM-014": where("iam_user", lambda a: a["console_password"] and a["access_key_ages_days"]),
        "CF-AWS-IAM-015": where("iam_policy", lambda a: "*" in a["actions"] and a["users"]),
        "CF-AWS-EC2-021": [s for s in where("security_group") if s.attributes.get("cifs_open")],
        "CF-AWS-EC2-022": where("ebs_encryption_by_default", lambda a: not a["enabled"]),
        # every VPC's default ACL (AWS-made) allows all traffic from the world, so fails both; the "guarded"
        # ACL's denies come first, so it opens neither 22 and 3389 nor all ports
        "CF-AWS-VPC-002": [
            s for s in where("network_acl") if s.managed_by == "aws" or s.attributes["kind"] == "ssh-open"
        ],
        "CF-AWS-VPC-003": [s for s in where("network_acl") if s.managed_by == "aws"],
        # default VPCs (AWS-made) have no flow logs
        "CF-AWS-VPC-004": [s for s in where("vpc") if s.managed_by == "aws" or not s.attributes["flow_logs"]],
        "CF-AWS-CONFIG-001": where("config_recorder", lambda a: a["recorder"] != "recording"),
        "CF-AWS-SECURITYHUB-001": where("security_hub", lambda a: not a["enabled"]),
        "CF-AWS-GUARDDUTY-001": where("guardduty_detector", lambda a: a["detector"] != "enabled"),
        "CF-AWS-EFS-001": where("efs_file_system", lambda a: not a["encrypted"]),
        # trail events (demo.compliance): "default" records all management events, "write" write-only
        # management and S3 object events, "all" both of every kind; an account without a trail fails all
        "CF-AWS-CT-004": where("cloudtrail_account", lambda a: not {"default", "all"} & set(a["trail_events"])),
        "CF-AWS-CT-005": where("cloudtrail_account", lambda a: not {"write", "all"} & set(a["trail_events"])),
        "CF-AWS-CT-006": where("cloudtrail_account", lambda a: "all" not in a["trail_events"]),
        "CF-AWS-IAM-017": where("access_analyzer", lambda a: a["analyzer"] != "ACCOUNT"),
    }
