"""``terraform show -json`` plans to the normalised documents policies judge.

Each managed resource that exists after apply (``resource_changes[].change.after``) is mapped, with
companion resources (bucket encryption, versioning and public access block; security group rules; IAM
login profiles and access keys) joined to their parent. Plan values describe what the configuration
declares: a bucket without a declared encryption or public-access-block resource has none, whatever the
AWS account defaults may later add; a value Terraform only learns on apply is ``null``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from policies.documents.fields import (
    Doc,
    instance_family,
    public_access_block,
    security_group_rule,
    tag_map,
    trust_statements,
)


class PlanFormatError(ValueError):
    """Input that is not a supported ``terraform show -json`` plan; the message says what was expected."""


def _first(items: Any) -> Mapping[str, Any]:
    """The single nested block Terraform renders as a one-element list (``{}`` when absent or unknown)."""
    return items[0] if isinstance(items, list) and items and isinstance(items[0], Mapping) else {}


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
        return tag_map(value if isinstance(value, Mapping) else self.after.get("tags"))


def _plan_instance(c: _Change) -> Doc:
    metadata = _first(c.known("metadata_options"))
    public = c.known("associate_public_ip_address")
    tokens, endpoint = metadata.get("http_tokens"), metadata.get("http_endpoint")
    return {
        "id": c.known("id"),
        "instance_type": c.known("instance_type"),
        "instance_family": instance_family(c.known("instance_type")),
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
    return security_group_rule(
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
        "public_access_block": public_access_block(
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
        "trust_statements": trust_statements(policy, c.address) if policy else [],
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


# Terraform type -> (resource type, mapper)
MAPPERS: dict[str, tuple[str, Callable[[_Change], Doc]]] = {
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

PLAN_RESOURCE_TYPES = frozenset(MAPPERS) | frozenset(_JOINS)


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
    documents = [(c.address, *_document(c)) for c in changes if c.type in MAPPERS]
    return PlanDocuments(documents, skipped)


def _document(change: _Change) -> tuple[str, Doc]:
    resource_type, mapper = MAPPERS[change.type]
    return resource_type, mapper(change)


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
