"""The inventory's raw AWS API documents (boto3 shapes: PascalCase, ``Tags`` as ``[{"Key", "Value"}]``)
to the normalised documents policies judge."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from policies.documents.fields import (
    PUBLIC_GRANTEES,
    Doc,
    bucket_policy_facts,
    DocumentError,
    instance_family,
    permission_statements,
    network_acl_rule,
    public_access_block,
    recorded_events,
    security_group_rule,
    tag_map,
    timestamp,
    trust_statements,
)


def _ec2_instance(d: Mapping[str, Any], where: str) -> Doc:
    metadata = d.get("MetadataOptions") or {}
    return {
        "id": d["InstanceId"],
        "instance_type": d["InstanceType"],
        "instance_family": instance_family(d["InstanceType"]),
        "state": (d.get("State") or {}).get("Name"),
        "launched_at": timestamp(d.get("LaunchTime"), f"{where} LaunchTime"),
        "has_public_ip": bool(d.get("PublicIpAddress")),
        "imdsv2_required": metadata.get("HttpTokens") == "required"
        or metadata.get("HttpEndpoint") == "disabled",
        "volume_ids": [m["Ebs"]["VolumeId"] for m in d.get("BlockDeviceMappings") or [] if m.get("Ebs")],
        "root_volume_encrypted": _root_volume(d).get("Encrypted"),
        "detailed_monitoring": (d.get("Monitoring") or {}).get("State") in ("enabled", "pending"),
        "has_instance_profile": bool(d.get("IamInstanceProfile")),
        "tags": tag_map(d.get("Tags")),
    }


def _root_volume(d: Mapping[str, Any]) -> Mapping[str, Any]:
    """The root device's ``Ebs`` mapping (the collector adds its volume's ``Encrypted``), else ``{}``."""
    for mapping in d.get("BlockDeviceMappings") or []:
        if mapping.get("DeviceName") == d.get("RootDeviceName"):
            return mapping.get("Ebs") or {}
    return {}


def _ebs_volume(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["VolumeId"],
        "size_gb": d.get("Size"),
        "volume_type": d.get("VolumeType"),
        "encrypted": bool(d.get("Encrypted")),
        "state": d.get("State"),
        "created_at": timestamp(d.get("CreateTime"), f"{where} CreateTime"),
        "tags": tag_map(d.get("Tags")),
    }


def _ebs_snapshot(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["SnapshotId"],
        "volume_id": d.get("VolumeId"),
        "size_gb": d.get("VolumeSize"),
        "encrypted": bool(d.get("Encrypted")),
        "created_at": timestamp(d.get("StartTime"), f"{where} StartTime"),
        "tags": tag_map(d.get("Tags")),
    }


def _elastic_ip(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d.get("AllocationId") or d["PublicIp"],
        "public_ip": d.get("PublicIp"),
        "associated": bool(d.get("AssociationId") or d.get("InstanceId") or d.get("NetworkInterfaceId")),
        "tags": tag_map(d.get("Tags")),
    }


def _security_group(d: Mapping[str, Any], where: str) -> Doc:
    def rules(permissions: Any) -> list[Doc]:
        return [
            security_group_rule(
                p.get("IpProtocol", "-1"),
                p.get("FromPort"),
                p.get("ToPort"),
                [r["CidrIp"] for r in p.get("IpRanges") or []],
                [r["CidrIpv6"] for r in p.get("Ipv6Ranges") or []],
            )
            for p in permissions or []
        ]

    return {
        "id": d["GroupId"],
        "name": d.get("GroupName"),
        "vpc_id": d.get("VpcId"),
        "is_default": d.get("GroupName") == "default",
        "ingress": rules(d.get("IpPermissions")),
        "egress": rules(d.get("IpPermissionsEgress")),
        "tags": tag_map(d.get("Tags")),
    }


def _vpc(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["VpcId"],
        "cidr_block": d.get("CidrBlock"),
        "is_default": bool(d.get("IsDefault")),
        "flow_logs_enabled": any(log.get("FlowLogStatus") == "ACTIVE" for log in d.get("FlowLogs") or []),
        "tags": tag_map(d.get("Tags")),
    }


def _subnet(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["SubnetId"],
        "vpc_id": d.get("VpcId"),
        "cidr_block": d.get("CidrBlock"),
        "map_public_ip_on_launch": bool(d.get("MapPublicIpOnLaunch")),
        "tags": tag_map(d.get("Tags")),
    }


def _s3_bucket(d: Mapping[str, Any], where: str) -> Doc:
    default = _first_rule(d.get("ServerSideEncryptionConfiguration"))
    versioning = d.get("Versioning") or {}
    block = d.get("PublicAccessBlockConfiguration") or {}
    tls_required, public_policy = bucket_policy_facts(d.get("Policy"), f"{where} Policy")
    return {
        "name": d["Name"],
        "region": d.get("BucketRegion"),
        "created_at": timestamp(d.get("CreationDate"), f"{where} CreationDate"),
        "encryption_algorithm": default.get("SSEAlgorithm"),
        "kms_key_id": default.get("KMSMasterKeyID"),
        "versioning_enabled": versioning.get("Status") == "Enabled",
        "mfa_delete_enabled": versioning.get("MFADelete") == "Enabled",
        "public_access_block": public_access_block(
            block.get("BlockPublicAcls"),
            block.get("IgnorePublicAcls"),
            block.get("BlockPublicPolicy"),
            block.get("RestrictPublicBuckets"),
        ),
        "access_logging_enabled": bool(d.get("LoggingEnabled")),
        "tls_required": tls_required,
        "public_acl": any(
            (grant.get("Grantee") or {}).get("URI") in PUBLIC_GRANTEES for grant in d.get("Grants") or []
        ),
        "public_policy": public_policy,
        "tags": tag_map(d.get("Tags")),
    }


def _first_rule(configuration: Any) -> Mapping[str, Any]:
    rules = (configuration or {}).get("Rules") or []
    return (rules[0].get("ApplyServerSideEncryptionByDefault") or {}) if rules else {}


def _rds_instance(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["DBInstanceIdentifier"],
        "engine": d.get("Engine"),
        "instance_class": d.get("DBInstanceClass"),
        "storage_encrypted": bool(d.get("StorageEncrypted")),
        "publicly_accessible": bool(d.get("PubliclyAccessible")),
        "backup_retention_days": d.get("BackupRetentionPeriod"),
        "multi_az": bool(d.get("MultiAZ")),
        "deletion_protection": bool(d.get("DeletionProtection")),
        "auto_minor_version_upgrade": bool(d.get("AutoMinorVersionUpgrade")),
        "iam_auth_enabled": bool(d.get("IAMDatabaseAuthenticationEnabled")),
        "log_exports": sorted(d.get("EnabledCloudwatchLogsExports") or []),
        "monitoring_interval": d.get("MonitoringInterval") or 0,
        # Left out by some API implementations (moto): unknown, not off.
        "performance_insights_enabled": d.get("PerformanceInsightsEnabled"),
        "copy_tags_to_snapshot": bool(d.get("CopyTagsToSnapshot")),
        "tags": tag_map(d.get("Tags")),
    }


def _iam_user(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["UserName"],
        "arn": d.get("Arn"),
        "created_at": timestamp(d.get("CreateDate"), f"{where} CreateDate"),
        "password_enabled": bool(d.get("LoginProfile")),
        "password_last_used_at": timestamp(d.get("PasswordLastUsed"), f"{where} PasswordLastUsed"),
        "mfa_enabled": bool(d.get("MFADevices")),
        "access_keys": [
            {
                "id": k["AccessKeyId"],
                "active": k.get("Status") == "Active",
                "created_at": timestamp(k.get("CreateDate"), f"{where} AccessKeys CreateDate"),
                "last_used_at": timestamp(k.get("LastUsedDate"), f"{where} AccessKeys LastUsedDate"),
            }
            for k in d.get("AccessKeys") or []
        ],
        "attached_policies": sorted(p["PolicyArn"] for p in d.get("AttachedPolicies") or []),
        "inline_policies": sorted(d.get("PolicyNames") or []),
        "tags": tag_map(d.get("Tags")),
    }


def _iam_role(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["RoleName"],
        "arn": d.get("Arn"),
        "path": d.get("Path", "/"),
        "created_at": timestamp(d.get("CreateDate"), f"{where} CreateDate"),
        "trust_statements": trust_statements(d.get("AssumeRolePolicyDocument"), where),
        "tags": tag_map(d.get("Tags")),
    }


def _iam_password_policy(d: Mapping[str, Any], where: str) -> Doc:
    policy = d["PasswordPolicy"]
    if policy is None:  # the account has none
        return dict.fromkeys(_PASSWORD_POLICY_FIELDS, None) | {"exists": False}
    return {
        "exists": True,
        "minimum_length": policy.get("MinimumPasswordLength"),
        "reuse_prevention": policy.get("PasswordReusePrevention") or None,
        "require_symbols": policy.get("RequireSymbols"),
        "require_numbers": policy.get("RequireNumbers"),
        "require_uppercase": policy.get("RequireUppercaseCharacters"),
        "require_lowercase": policy.get("RequireLowercaseCharacters"),
        # the API answers MaxPasswordAge 0 (moto) or leaves it out when passwords do not expire
        "max_age_days": policy.get("MaxPasswordAge") or None,
    }


_PASSWORD_POLICY_FIELDS = ("minimum_length", "reuse_prevention", "require_symbols", "require_numbers",
                           "require_uppercase", "require_lowercase", "max_age_days")


def _iam_account(d: Mapping[str, Any], where: str) -> Doc:
    summary = d.get("AccountSummary") or {}
    root = d.get("RootUser")
    return {
        "root_access_keys_present": bool(summary.get("AccountAccessKeysPresent")),
        "root_mfa_enabled": bool(summary.get("AccountMFAEnabled")),
        "root_virtual_mfa": d.get("RootVirtualMFADevice") is not None,
        "root_credentials_reported": root is not None,
        "root_last_used_at": _root_last_used(root, where),
        "support_roles": sorted(d.get("SupportRoles") or []),
    }


# the credential report's columns of a password's or access key's last use: a time, or N/A,
# no_information or not_supported when there is none
_ROOT_USE_COLUMNS = ("password_last_used", "access_key_1_last_used_date", "access_key_2_last_used_date")


def _root_last_used(root: Mapping[str, str] | None, where: str) -> str | None:
    """The latest use of the root user's password or access keys, per the credential report."""
    used = [
        timestamp(root[column], f"{where} RootUser {column}")
        for column in _ROOT_USE_COLUMNS
        if root and root.get(column, "")[:1].isdigit()
    ]
    return max(used, default=None)


def _iam_policy(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["PolicyName"],
        "arn": d.get("Arn"),
        "attachment_count": d.get("AttachmentCount", 0),
        "statements": permission_statements(d.get("Document"), f"{where} Document"),
        "tags": tag_map(d.get("Tags")),
    }


def _iam_server_certificate(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["ServerCertificateName"],
        "arn": d.get("Arn"),
        "expires_at": timestamp(d.get("Expiration"), f"{where} Expiration"),
    }


def _lambda_function(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["FunctionName"],
        "arn": d.get("FunctionArn"),
        "runtime": d.get("Runtime"),
        "package_type": d.get("PackageType", "Zip"),
        "tags": tag_map(d.get("Tags")),
    }


def _load_balancer(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["LoadBalancerName"],
        "arn": d.get("LoadBalancerArn"),
        "type": d.get("Type"),
        "scheme": d.get("Scheme"),
        "zone_count": len(d.get("AvailabilityZones") or []),
        "tags": tag_map(d.get("Tags")),
    }


def _kms_key(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["KeyId"],
        "arn": d.get("Arn"),
        "manager": d.get("KeyManager"),
        "state": d.get("KeyState"),
        "spec": d.get("KeySpec") or d.get("CustomerMasterKeySpec"),
        "rotation_enabled": d.get("KeyRotationEnabled"),
        "tags": tag_map(d.get("Tags")),
    }


def _cloudwatch_log_group(d: Mapping[str, Any], where: str) -> Doc:
    # describe_log_groups leaves kmsKeyId and retentionInDays out when unset (no KMS key, never expires)
    return {
        "name": d["logGroupName"],
        "arn": d.get("logGroupArn") or (d.get("arn") or "").removesuffix(":*") or None,
        "kms_key_id": d.get("kmsKeyId"),
        "kms_encrypted": bool(d.get("kmsKeyId")),
        "retention_days": d.get("retentionInDays") or 0,
        "tags": tag_map(d.get("Tags")),
    }


def _network_acl(d: Mapping[str, Any], where: str) -> Doc:
    entries = [e for e in d.get("Entries") or [] if not e.get("Egress")]
    return {
        "id": d["NetworkAclId"],
        "vpc_id": d.get("VpcId"),
        "is_default": bool(d.get("IsDefault")),
        "ingress": [
            network_acl_rule(
                e["RuleNumber"],
                e["RuleAction"],
                e["Protocol"],
                (e.get("PortRange") or {}).get("From"),
                (e.get("PortRange") or {}).get("To"),
                e.get("CidrBlock"),
                e.get("Ipv6CidrBlock"),
            )
            for e in sorted(entries, key=lambda e: e["RuleNumber"])
        ],
        "tags": tag_map(d.get("Tags")),
    }


def _cloudtrail_trail(d: Mapping[str, Any], where: str) -> Doc:
    bucket = d.get("S3BucketLogging")
    return {
        "name": d["Name"],
        "arn": d.get("TrailARN"),
        "multi_region": bool(d.get("IsMultiRegionTrail")),
        "logging": d.get("IsLogging"),
        "log_file_validation": bool(d.get("LogFileValidationEnabled")),
        "kms_key_id": d.get("KmsKeyId"),
        "kms_encrypted": bool(d.get("KmsKeyId")),
        "s3_bucket_name": d.get("S3BucketName"),
        "s3_bucket_access_logging": None if bucket is None else bool(bucket.get("LoggingEnabled")),
        **_trail_events(d),
        **_trail_monitoring(d),
        "tags": tag_map(d.get("Tags")),
    }


def _trail_events(d: Mapping[str, Any]) -> Doc:
    """What the trail records; unknown (null) in a document collected before its selectors were."""
    if "EventSelectors" not in d:
        return {"management_events": None, "s3_object_events": None}
    return recorded_events(d["EventSelectors"], d.get("AdvancedEventSelectors") or [])


def _cloudtrail_account(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "multi_region_trails": [
            {"name": t["Name"], "arn": t.get("TrailARN"), "home_region": t.get("HomeRegion"),
             "logging": t.get("IsLogging"), **_trail_events(t)}
            for t in d["MultiRegionTrails"]
        ]
    }


def _access_analyzer(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "analyzers": [
            {"name": a["name"], "arn": a.get("arn"), "type": a.get("type"), "status": a.get("status")}
            for a in d["Analyzers"]
        ]
    }
def _trail_monitoring(d: Mapping[str, Any]) -> Doc:
    """The trail's CloudWatch Logs log group and the metric filters on it, alarmed and subscribed or not."""
    group, filters = d.get("CloudWatchLogsLogGroupArn"), d.get("MetricFilters", [])
    return {
        "cloudwatch_logs_log_group_arn": group or None,
        "cloudwatch_logs_integrated": bool(group),
        "metric_filters": None if filters is None else [
            {
                "name": f.get("filterName"),
                "pattern": f.get("filterPattern", ""),
                "alarmed": bool(f.get("Alarms")),
                "subscribed": _subscribed(f.get("Alarms", [])),
            }
            for f in filters
        ],
    }


def _subscribed(alarms: list[Mapping[str, Any]]) -> bool | None:
    """A confirmed subscriber to any alarm's topic; unknown when none is seen but a topic could not be read."""
    if any(a.get("SubscribedTopics") for a in alarms):
        return True
    return None if any(a.get("UnreadableTopics") for a in alarms) else False


def _ebs_encryption_by_default(d: Mapping[str, Any], where: str) -> Doc:
    return {"enabled": d["EbsEncryptionByDefault"]}


def _config_recorder(d: Mapping[str, Any], where: str) -> Doc:
    recorders = d["ConfigurationRecorders"]
    if not recorders:  # the region records nothing
        return {"exists": False, "name": None, "recording": None, "all_supported": None,
                "include_global_resource_types": None}
    recorder = recorders[0]  # AWS allows one customer recorder per region
    group = recorder.get("recordingGroup") or {}
    statuses = {s.get("name"): s for s in d.get("ConfigurationRecordersStatus") or []}
    return {
        "exists": True,
        "name": recorder.get("name"),
        "recording": bool(statuses.get(recorder.get("name"), {}).get("recording")),
        "all_supported": group.get("allSupported"),
        "include_global_resource_types": group.get("includeGlobalResourceTypes"),
    }


def _security_hub(d: Mapping[str, Any], where: str) -> Doc:
    hub = d["Hub"]
    return {"enabled": hub is not None, "auto_enable_controls": (hub or {}).get("AutoEnableControls")}


def _guardduty_detector(d: Mapping[str, Any], where: str) -> Doc:
    detectors = d["Detectors"]
    if not detectors:
        return {"exists": False, "enabled": None}
    return {"exists": True, "enabled": any(detector.get("Status") == "ENABLED" for detector in detectors)}


def _efs_file_system(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["FileSystemId"],
        "name": d.get("Name"),
        "encrypted": bool(d.get("Encrypted")),
        "kms_key_id": d.get("KmsKeyId"),
        "tags": tag_map(d.get("Tags")),
    }


MAPPERS: dict[str, Callable[[Mapping[str, Any], str], Doc]] = {
    "ec2_instance": _ec2_instance,
    "ebs_volume": _ebs_volume,
    "ebs_snapshot": _ebs_snapshot,
    "elastic_ip": _elastic_ip,
    "security_group": _security_group,
    "vpc": _vpc,
    "subnet": _subnet,
    "s3_bucket": _s3_bucket,
    "rds_instance": _rds_instance,
    "iam_user": _iam_user,
    "iam_role": _iam_role,
    "iam_password_policy": _iam_password_policy,
    "iam_account": _iam_account,
    "iam_policy": _iam_policy,
    "iam_server_certificate": _iam_server_certificate,
    "lambda_function": _lambda_function,
    "load_balancer": _load_balancer,
    "kms_key": _kms_key,
    "cloudwatch_log_group": _cloudwatch_log_group,
    "cloudtrail_trail": _cloudtrail_trail,
    "network_acl": _network_acl,
    "ebs_encryption_by_default": _ebs_encryption_by_default,
    "config_recorder": _config_recorder,
    "security_hub": _security_hub,
    "guardduty_detector": _guardduty_detector,
    "efs_file_system": _efs_file_system,
    "cloudtrail_account": _cloudtrail_account,
    "access_analyzer": _access_analyzer,
}


def from_inventory(resource_type: str, document: Mapping[str, Any]) -> Doc:
    """The normalised document for one raw inventory document of ``resource_type``."""
    mapper = MAPPERS.get(resource_type)
    if mapper is None:
        raise DocumentError(
            f"unknown resource type {resource_type!r}; known: {', '.join(sorted(MAPPERS))}"
        )
    where = resource_type
    try:
        return mapper(document, where)
    except KeyError as missing:
        raise DocumentError(f"{resource_type} document has no {missing.args[0]} field") from None
    except (TypeError, AttributeError) as error:
        raise DocumentError(f"{resource_type} document has an unexpected shape: {error}") from None

