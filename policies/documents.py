"""One normalised document per resource type, built from the live inventory or from a Terraform plan.

Policies are written once against these shapes (snake_case, ``tags`` always a ``{key: value}`` object
without empty values, timestamps RFC 3339 in UTC). Two sources feed them:

* ``from_inventory(resource_type, document)``: the AWS API documents stored by the inventory
  (boto3 shapes, PascalCase, ``Tags`` as ``[{"Key", "Value"}]``).
* ``from_plan(plan)``: ``terraform show -json`` plans; each managed resource that exists after apply
  (``resource_changes[].change.after``), with companion resources (bucket encryption, versioning and
  public access block; security group rules; IAM login profiles and access keys) joined to their parent.

A field is ``null`` when the source cannot know it (most often: a value Terraform only learns on apply).
Policies deny on known values only, so an unknown never fails a plan. Plan values describe what the
configuration declares: a bucket without a declared encryption or public-access-block resource has none,
whatever the AWS account defaults may later add.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Doc = dict[str, Any]


class DocumentError(ValueError):
    """A raw document that cannot be normalised; the message names the resource and the field."""


class PlanFormatError(ValueError):
    """Input that is not a supported ``terraform show -json`` plan; the message says what was expected."""


# ---------------------------------------------------------------------------------------------------------
# shared field helpers


def _tags(value: Any) -> dict[str, str]:
    """AWS ``[{"Key", "Value"}]`` lists and Terraform maps both become ``{key: value}``.

    A tag with an empty value says nothing (no owner, no cost centre), so it is left out: policies then
    treat it as missing with one cheap key check.
    """
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if v}
    return {t["Key"]: t["Value"] for t in value if t.get("Value")}


def _timestamp(value: Any, where: str) -> str | None:
    """RFC 3339 UTC (``2024-05-01T12:00:00Z``) from a datetime or an ISO 8601 string; naive means UTC."""
    if value is None:
        return None
    if isinstance(value, str) and value.endswith("+00:00") and value[10:11] == "T":
        return value[:19] + "Z"  # the inventory's own form (isoformat in UTC): no parsing needed
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise DocumentError(f"{where}: {value!r} is not an ISO 8601 timestamp") from None
    if not isinstance(value, datetime):
        raise DocumentError(f"{where}: expected a timestamp, got {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _first(items: Any) -> Mapping[str, Any]:
    """The single nested block Terraform renders as a one-element list (``{}`` when absent or unknown)."""
    return items[0] if isinstance(items, list) and items and isinstance(items[0], Mapping) else {}


_PROTOCOLS = {"-1": "all", "all": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}
INTERNET = ("0.0.0.0/0", "::/0")


def _rule(protocol: Any, from_port: Any, to_port: Any, ipv4: list[str], ipv6: list[str]) -> Doc:
    """A security group rule; protocol "all" always spans ports 0-65535.

    ``internet_sources`` (the ranges among 0.0.0.0/0 and ::/0 the rule admits) is precomputed: every
    network policy starts from it, and a Rego function call per rule is the dearest part of evaluating them.
    """
    name = str(protocol).lower()
    name = _PROTOCOLS.get(name, name)
    if name == "all":
        from_port, to_port = 0, 65535
    return {
        "protocol": name,
        "from_port": -1 if from_port is None else int(from_port),
        "to_port": -1 if to_port is None else int(to_port),
        "ipv4_ranges": sorted(ipv4),
        "ipv6_ranges": sorted(ipv6),
        "internet_sources": [cidr for cidr in INTERNET if cidr in ipv4 or cidr in ipv6],
    }


def _family(instance_type: str | None) -> str | None:
    """ "m6i" of "m6i.large"."""
    return instance_type.split(".", 1)[0] if instance_type else None


def _trust_statements(policy: Any, where: str) -> list[Doc]:
    """IAM trust policy statements with principals and actions as lists; Principal "*" is {"AWS": ["*"]}."""
    if isinstance(policy, str):
        try:
            policy = json.loads(urllib.parse.unquote(policy))
        except ValueError:
            raise DocumentError(f"{where}: the trust policy is not JSON") from None
    statements = (policy or {}).get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    result = []
    for statement in statements:
        principal = statement.get("Principal", {})
        if principal == "*":
            principal = {"AWS": "*"}
        result.append(
            {
                "effect": statement.get("Effect", "Allow"),
                "principals": {k: _as_list(v) for k, v in principal.items()},
                "actions": _as_list(statement.get("Action", [])),
                "has_condition": bool(statement.get("Condition")),
            }
        )
    return result


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


# ---------------------------------------------------------------------------------------------------------
# (a) the inventory: raw AWS API documents


def _ec2_instance(d: Mapping[str, Any], where: str) -> Doc:
    metadata = d.get("MetadataOptions") or {}
    return {
        "id": d["InstanceId"],
        "instance_type": d["InstanceType"],
        "instance_family": _family(d["InstanceType"]),
        "state": (d.get("State") or {}).get("Name"),
        "launched_at": _timestamp(d.get("LaunchTime"), f"{where} LaunchTime"),
        "has_public_ip": bool(d.get("PublicIpAddress")),
        "imdsv2_required": metadata.get("HttpTokens") == "required"
        or metadata.get("HttpEndpoint") == "disabled",
        "volume_ids": [m["Ebs"]["VolumeId"] for m in d.get("BlockDeviceMappings") or [] if m.get("Ebs")],
        "tags": _tags(d.get("Tags")),
    }


def _ebs_volume(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["VolumeId"],
        "size_gb": d.get("Size"),
        "volume_type": d.get("VolumeType"),
        "encrypted": bool(d.get("Encrypted")),
        "state": d.get("State"),
        "created_at": _timestamp(d.get("CreateTime"), f"{where} CreateTime"),
        "tags": _tags(d.get("Tags")),
    }


def _ebs_snapshot(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["SnapshotId"],
        "volume_id": d.get("VolumeId"),
        "size_gb": d.get("VolumeSize"),
        "encrypted": bool(d.get("Encrypted")),
        "created_at": _timestamp(d.get("StartTime"), f"{where} StartTime"),
        "tags": _tags(d.get("Tags")),
    }


def _elastic_ip(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d.get("AllocationId") or d["PublicIp"],
        "public_ip": d.get("PublicIp"),
        "associated": bool(d.get("AssociationId") or d.get("InstanceId") or d.get("NetworkInterfaceId")),
        "tags": _tags(d.get("Tags")),
    }


def _security_group(d: Mapping[str, Any], where: str) -> Doc:
    def rules(permissions: Any) -> list[Doc]:
        return [
            _rule(
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
        "tags": _tags(d.get("Tags")),
    }


def _vpc(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["VpcId"],
        "cidr_block": d.get("CidrBlock"),
        "is_default": bool(d.get("IsDefault")),
        "tags": _tags(d.get("Tags")),
    }


def _subnet(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["SubnetId"],
        "vpc_id": d.get("VpcId"),
        "cidr_block": d.get("CidrBlock"),
        "map_public_ip_on_launch": bool(d.get("MapPublicIpOnLaunch")),
        "tags": _tags(d.get("Tags")),
    }


def _s3_bucket(d: Mapping[str, Any], where: str) -> Doc:
    default = _first_rule(d.get("ServerSideEncryptionConfiguration"))
    versioning = d.get("Versioning") or {}
    block = d.get("PublicAccessBlockConfiguration") or {}
    return {
        "name": d["Name"],
        "region": d.get("BucketRegion"),
        "created_at": _timestamp(d.get("CreationDate"), f"{where} CreationDate"),
        "encryption_algorithm": default.get("SSEAlgorithm"),
        "kms_key_id": default.get("KMSMasterKeyID"),
        "versioning_enabled": versioning.get("Status") == "Enabled",
        "mfa_delete_enabled": versioning.get("MFADelete") == "Enabled",
        "public_access_block": _public_access_block(
            block.get("BlockPublicAcls"),
            block.get("IgnorePublicAcls"),
            block.get("BlockPublicPolicy"),
            block.get("RestrictPublicBuckets"),
        ),
        "tags": _tags(d.get("Tags")),
    }


def _first_rule(configuration: Any) -> Mapping[str, Any]:
    rules = (configuration or {}).get("Rules") or []
    return (rules[0].get("ApplyServerSideEncryptionByDefault") or {}) if rules else {}


def _public_access_block(block_acls: Any, ignore_acls: Any, block_policy: Any, restrict: Any) -> Doc:
    return {
        "block_public_acls": bool(block_acls),
        "ignore_public_acls": bool(ignore_acls),
        "block_public_policy": bool(block_policy),
        "restrict_public_buckets": bool(restrict),
    }


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
        "tags": _tags(d.get("Tags")),
    }


def _iam_user(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["UserName"],
        "arn": d.get("Arn"),
        "created_at": _timestamp(d.get("CreateDate"), f"{where} CreateDate"),
        "password_enabled": bool(d.get("LoginProfile")),
        "password_last_used_at": _timestamp(d.get("PasswordLastUsed"), f"{where} PasswordLastUsed"),
        "mfa_enabled": bool(d.get("MFADevices")),
        "access_keys": [
            {
                "id": k["AccessKeyId"],
                "active": k.get("Status") == "Active",
                "created_at": _timestamp(k.get("CreateDate"), f"{where} AccessKeys CreateDate"),
                "last_used_at": _timestamp(k.get("LastUsedDate"), f"{where} AccessKeys LastUsedDate"),
            }
            for k in d.get("AccessKeys") or []
        ],
        "tags": _tags(d.get("Tags")),
    }


def _iam_role(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["RoleName"],
        "arn": d.get("Arn"),
        "path": d.get("Path", "/"),
        "created_at": _timestamp(d.get("CreateDate"), f"{where} CreateDate"),
        "trust_statements": _trust_statements(d.get("AssumeRolePolicyDocument"), where),
        "tags": _tags(d.get("Tags")),
    }


def _lambda_function(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["FunctionName"],
        "arn": d.get("FunctionArn"),
        "runtime": d.get("Runtime"),
        "package_type": d.get("PackageType", "Zip"),
        "tags": _tags(d.get("Tags")),
    }


def _load_balancer(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "name": d["LoadBalancerName"],
        "arn": d.get("LoadBalancerArn"),
        "type": d.get("Type"),
        "scheme": d.get("Scheme"),
        "zone_count": len(d.get("AvailabilityZones") or []),
        "tags": _tags(d.get("Tags")),
    }


def _kms_key(d: Mapping[str, Any], where: str) -> Doc:
    return {
        "id": d["KeyId"],
        "arn": d.get("Arn"),
        "manager": d.get("KeyManager"),
        "state": d.get("KeyState"),
        "spec": d.get("KeySpec") or d.get("CustomerMasterKeySpec"),
        "rotation_enabled": d.get("KeyRotationEnabled"),
        "tags": _tags(d.get("Tags")),
    }


_INVENTORY: dict[str, Callable[[Mapping[str, Any], str], Doc]] = {
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
    "lambda_function": _lambda_function,
    "load_balancer": _load_balancer,
    "kms_key": _kms_key,
}

RESOURCE_TYPES = frozenset(_INVENTORY)


def from_inventory(resource_type: str, document: Mapping[str, Any]) -> Doc:
    """The normalised document for one raw inventory document of ``resource_type``."""
    mapper = _INVENTORY.get(resource_type)
    if mapper is None:
        raise DocumentError(
            f"unknown resource type {resource_type!r}; known: {', '.join(sorted(_INVENTORY))}"
        )
    where = resource_type
    try:
        return mapper(document, where)
    except KeyError as missing:
        raise DocumentError(f"{resource_type} document has no {missing.args[0]} field") from None
    except (TypeError, AttributeError) as error:
        raise DocumentError(f"{resource_type} document has an unexpected shape: {error}") from None


# ---------------------------------------------------------------------------------------------------------
# (b) Terraform plans: terraform show -json


@dataclass
class _Change:
    """One managed resource of the plan as it will be after apply."""

    address: str
    module: str  # "" for the root module, else "module.a.module.b" (instance keys kept)
    type: str
    name: str
    index: Any
    after: Mapping[str, Any]
    unknown: Mapping[str, Any]
    joined: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)

    def known(self, attribute: str) -> Any:
        """The planned value, or None when Terraform will only learn it on apply."""
        return None if self.unknown.get(attribute) is True else self.after.get(attribute)

    def tags(self) -> dict[str, str]:
        """``tags_all`` (which includes the provider's default_tags) when known, else ``tags``."""
        value = self.known("tags_all")
        return _tags(value if isinstance(value, Mapping) else self.after.get("tags"))


def _plan_instance(c: _Change) -> Doc:
    metadata = _first(c.known("metadata_options"))
    public = c.known("associate_public_ip_address")
    tokens, endpoint = metadata.get("http_tokens"), metadata.get("http_endpoint")
    return {
        "id": c.known("id"),
        "instance_type": c.known("instance_type"),
        "instance_family": _family(c.known("instance_type")),
        "state": None,
        "launched_at": None,
        "has_public_ip": public if isinstance(public, bool) else None,
        "imdsv2_required": (tokens == "required" or endpoint == "disabled") if (tokens or endpoint) else None,
        "volume_ids": None,
        "tags": c.tags(),
    }


def _plan_ebs_volume(c: _Change) -> Doc:
    return {
        "id": c.known("id"),
        "size_gb": c.known("size"),
        "volume_type": c.known("type"),
        "encrypted": c.known("encrypted"),
        "state": None,
        "created_at": None,
        "tags": c.tags(),
    }


def _plan_ebs_snapshot(c: _Change) -> Doc:
    return {
        "id": c.known("id"),
        "volume_id": c.known("volume_id"),
        "size_gb": c.known("volume_size"),
        "encrypted": c.known("encrypted"),
        "created_at": None,
        "tags": c.tags(),
    }


def _plan_eip(c: _Change) -> Doc:
    return {
        "id": c.known("allocation_id") or c.known("id"),
        "public_ip": c.known("public_ip"),
        # Without a known target the association may come on apply or from another resource (NAT gateway).
        "associated": True if c.known("instance") or c.known("network_interface") else None,
        "tags": c.tags(),
    }


def _plan_rule(r: Mapping[str, Any]) -> Doc:
    """Inline rules and aws_security_group_rule use cidr_blocks; aws_vpc_security_group_*_rule cidr_ipv4."""
    return _rule(
        r.get("protocol", r.get("ip_protocol")),
        r.get("from_port"),
        r.get("to_port"),
        r.get("cidr_blocks") or ([r["cidr_ipv4"]] if r.get("cidr_ipv4") else []),
        r.get("ipv6_cidr_blocks") or ([r["cidr_ipv6"]] if r.get("cidr_ipv6") else []),
    )


def _plan_security_group(c: _Change) -> Doc:
    rules = {d: [_plan_rule(r) for r in c.known(d) or []] for d in ("ingress", "egress")}
    for r in c.joined.get("aws_security_group_rule", []):
        rules[r["type"]].append(_plan_rule(r))
    for direction, listed in rules.items():
        listed.extend(_plan_rule(r) for r in c.joined.get(f"aws_vpc_security_group_{direction}_rule", []))
    is_default = c.type == "aws_default_security_group"
    return {
        "id": c.known("id"),
        "name": "default" if is_default else c.known("name"),
        "vpc_id": c.known("vpc_id"),
        "is_default": is_default,
        "ingress": rules["ingress"],
        "egress": rules["egress"],
        "tags": c.tags(),
    }


def _plan_vpc(c: _Change) -> Doc:
    return {"id": c.known("id"), "cidr_block": c.known("cidr_block"), "is_default": False, "tags": c.tags()}


def _plan_subnet(c: _Change) -> Doc:
    return {
        "id": c.known("id"),
        "vpc_id": c.known("vpc_id"),
        "cidr_block": c.known("cidr_block"),
        "map_public_ip_on_launch": c.known("map_public_ip_on_launch"),
        "tags": c.tags(),
    }


def _plan_s3_bucket(c: _Change) -> Doc:
    encryption = c.joined.get("aws_s3_bucket_server_side_encryption_configuration") or [
        _first(c.known("server_side_encryption_configuration"))
    ]
    default = _first(_first(encryption[0].get("rule")).get("apply_server_side_encryption_by_default"))
    versioning = c.joined.get("aws_s3_bucket_versioning")
    if versioning:
        status = _first(versioning[0].get("versioning_configuration"))
        enabled, mfa_delete = status.get("status") == "Enabled", status.get("mfa_delete") == "Enabled"
    else:
        inline = _first(c.known("versioning"))
        enabled, mfa_delete = bool(inline.get("enabled")), bool(inline.get("mfa_delete"))
    block = (c.joined.get("aws_s3_bucket_public_access_block") or [{}])[0]
    return {
        "name": c.known("bucket"),
        "region": c.known("region"),
        "created_at": None,
        "encryption_algorithm": default.get("sse_algorithm"),
        "kms_key_id": default.get("kms_master_key_id") or None,
        "versioning_enabled": enabled,
        "mfa_delete_enabled": mfa_delete,
        "public_access_block": _public_access_block(
            block.get("block_public_acls"),
            block.get("ignore_public_acls"),
            block.get("block_public_policy"),
            block.get("restrict_public_buckets"),
        ),
        "tags": c.tags(),
    }


def _plan_db_instance(c: _Change) -> Doc:
    return {
        "id": c.known("identifier"),
        "engine": c.known("engine"),
        "instance_class": c.known("instance_class"),
        "storage_encrypted": c.known("storage_encrypted"),
        "publicly_accessible": c.known("publicly_accessible"),
        "backup_retention_days": c.known("backup_retention_period"),
        "multi_az": c.known("multi_az"),
        "deletion_protection": c.known("deletion_protection"),
        "auto_minor_version_upgrade": c.known("auto_minor_version_upgrade"),
        "tags": c.tags(),
    }


def _plan_iam_user(c: _Change) -> Doc:
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "created_at": None,
        "password_enabled": bool(c.joined.get("aws_iam_user_login_profile")),
        "password_last_used_at": None,
        "mfa_enabled": None,
        "access_keys": [
            {
                "id": None,
                "active": k.get("status", "Active") != "Inactive",
                "created_at": None,
                "last_used_at": None,
            }
            for k in c.joined.get("aws_iam_access_key", [])
        ],
        "tags": c.tags(),
    }


def _plan_iam_role(c: _Change) -> Doc:
    policy = c.known("assume_role_policy")
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "path": c.known("path") or "/",
        "created_at": None,
        "trust_statements": _trust_statements(policy, c.address) if policy else [],
        "tags": c.tags(),
    }


def _plan_lambda_function(c: _Change) -> Doc:
    return {
        "name": c.known("function_name"),
        "arn": c.known("arn"),
        "runtime": c.known("runtime") or None,
        "package_type": c.known("package_type") or "Zip",
        "tags": c.tags(),
    }


def _plan_load_balancer(c: _Change) -> Doc:
    subnets = c.known("subnets") or c.known("subnet_mapping")
    internal = c.known("internal")
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "type": c.known("load_balancer_type") or "application",
        "scheme": None if internal is None else ("internal" if internal else "internet-facing"),
        "zone_count": len(subnets) if subnets else None,
        "tags": c.tags(),
    }


def _plan_kms_key(c: _Change) -> Doc:
    enabled = c.known("is_enabled")
    return {
        "id": c.known("key_id"),
        "arn": c.known("arn"),
        "manager": "CUSTOMER",
        "state": None if enabled is None else ("Enabled" if enabled else "Disabled"),
        "spec": c.known("customer_master_key_spec") or "SYMMETRIC_DEFAULT",
        "rotation_enabled": c.known("enable_key_rotation"),
        "tags": c.tags(),
    }


_PLAN: dict[str, tuple[str, Callable[[_Change], Doc]]] = {
    "aws_instance": ("ec2_instance", _plan_instance),
    "aws_ebs_volume": ("ebs_volume", _plan_ebs_volume),
    "aws_ebs_snapshot": ("ebs_snapshot", _plan_ebs_snapshot),
    "aws_eip": ("elastic_ip", _plan_eip),
    "aws_security_group": ("security_group", _plan_security_group),
    "aws_default_security_group": ("security_group", _plan_security_group),
    "aws_vpc": ("vpc", _plan_vpc),
    "aws_subnet": ("subnet", _plan_subnet),
    "aws_s3_bucket": ("s3_bucket", _plan_s3_bucket),
    "aws_db_instance": ("rds_instance", _plan_db_instance),
    "aws_iam_user": ("iam_user", _plan_iam_user),
    "aws_iam_role": ("iam_role", _plan_iam_role),
    "aws_lambda_function": ("lambda_function", _plan_lambda_function),
    "aws_lb": ("load_balancer", _plan_load_balancer),
    "aws_alb": ("load_balancer", _plan_load_balancer),
    "aws_kms_key": ("kms_key", _plan_kms_key),
}

_SECURITY_GROUPS = ("aws_security_group", "aws_default_security_group")

# companion type -> (its attribute naming the parent, parent types, parent attributes that value may equal)
_JOINS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "aws_s3_bucket_server_side_encryption_configuration": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_s3_bucket_versioning": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_s3_bucket_public_access_block": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_security_group_rule": ("security_group_id", _SECURITY_GROUPS, ("id",)),
    "aws_vpc_security_group_ingress_rule": ("security_group_id", _SECURITY_GROUPS, ("id",)),
    "aws_vpc_security_group_egress_rule": ("security_group_id", _SECURITY_GROUPS, ("id",)),
    "aws_iam_user_login_profile": ("user", ("aws_iam_user",), ("name",)),
    "aws_iam_access_key": ("user", ("aws_iam_user",), ("name",)),
}

PLAN_RESOURCE_TYPES = frozenset(_PLAN) | frozenset(_JOINS)


@dataclass(frozen=True)
class PlanDocuments:
    """The normalised documents of a plan, and the managed resources no policy covers."""

    documents: list[tuple[str, str, Doc]]  # (address, resource type, document)
    skipped: list[tuple[str, str]]  # (address, Terraform type)


_FORMAT = re.compile(r"^1\.\d+$")


def validate_plan(plan: Any, source: str = "plan") -> Mapping[str, Any]:
    """The plan itself when it is a ``terraform show -json`` plan in format 1.x, else PlanFormatError."""
    expected = "expected the JSON of `terraform show -json PLANFILE` (a plan, format_version 1.x)"
    if not isinstance(plan, Mapping):
        raise PlanFormatError(f"{source}: top level is {type(plan).__name__}, {expected}")
    version = plan.get("format_version")
    if version is None:
        raise PlanFormatError(f"{source}: no format_version; {expected}")
    if not isinstance(version, str) or not _FORMAT.match(version):
        raise PlanFormatError(f"{source}: unsupported format_version {version!r}; {expected}")
    if not any(k in plan for k in ("resource_changes", "planned_values", "configuration")):
        kind = "a state (`terraform show -json` without a plan file)" if "values" in plan else "not a plan"
        raise PlanFormatError(f"{source}: this is {kind}: no resource_changes or planned_values; {expected}")
    if not isinstance(plan.get("resource_changes", []), list):
        raise PlanFormatError(f"{source}: resource_changes is not a list; {expected}")
    return plan


def from_plan(plan: Any, source: str = "plan") -> PlanDocuments:
    """Normalised documents for every managed resource that exists after the plan is applied."""
    plan = validate_plan(plan, source)
    changes, skipped = [], []
    for number, rc in enumerate(plan.get("resource_changes", [])):
        if not isinstance(rc, Mapping) or not isinstance(rc.get("address"), str) or "type" not in rc:
            raise PlanFormatError(f"{source}: resource_changes[{number}] has no address and type")
        change = rc.get("change") or {}
        if rc.get("mode", "managed") != "managed" or change.get("after") is None:
            continue  # data sources, and resources the plan deletes
        if rc.get("type") not in PLAN_RESOURCE_TYPES:
            skipped.append((rc["address"], rc["type"]))
            continue
        unknown = change.get("after_unknown")
        changes.append(
            _Change(
                address=rc["address"],
                module=rc.get("module_address", ""),
                type=rc["type"],
                name=rc.get("name", ""),
                index=rc.get("index"),
                after=change["after"],
                unknown=unknown if isinstance(unknown, Mapping) else {},
            )
        )
    _join(changes, _References(plan.get("configuration") or {}))
    documents = [(c.address, _PLAN[c.type][0], _PLAN[c.type][1](c)) for c in changes if c.type in _PLAN]
    return PlanDocuments(documents, skipped)


def _join(changes: list[_Change], references: _References) -> None:
    """Attach each companion resource's ``after`` to its parent, by known value or else by reference."""
    for child in changes:
        if child.type not in _JOINS:
            continue
        attribute, parent_types, parent_attributes = _JOINS[child.type]
        candidates = [c for c in changes if c.type in parent_types and c.module == child.module]
        value = child.known(attribute)
        parents = [c for c in candidates if value is not None and value in map(c.known, parent_attributes)]
        if not parents:
            targets = references.of(child, attribute)
            parents = [c for c in candidates if f"{c.type}.{c.name}" in targets]
            same_index = [c for c in parents if c.index == child.index]
            parents = same_index or parents
        if len(parents) == 1:
            parents[0].joined.setdefault(child.type, []).append(child.after)


class _References:
    """Which resources a configuration expression refers to (``aws_s3_bucket.logs`` in ``bucket = ...``)."""

    def __init__(self, configuration: Mapping[str, Any]) -> None:
        self._modules: dict[str, Mapping[str, Any]] = {}
        self._collect("", configuration.get("root_module") or {})

    def _collect(self, path: str, module: Mapping[str, Any]) -> None:
        self._modules[path] = {r["address"]: r.get("expressions") or {} for r in module.get("resources", [])}
        for name, call in (module.get("module_calls") or {}).items():
            self._collect(f"{path}.module.{name}".lstrip("."), call.get("module") or {})

    def of(self, change: _Change, attribute: str) -> set[str]:
        """``type.name`` of every resource the attribute's expression refers to, in the same module."""
        module = re.sub(r"\[[^\]]*\]", "", change.module)
        expressions = self._modules.get(module, {}).get(f"{change.type}.{change.name}", {})
        refs = (expressions.get(attribute) or {}).get("references", [])
        return {".".join(re.sub(r"\[[^\]]*\]", "", ref).split(".")[:2]) for ref in refs}
