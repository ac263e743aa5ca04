"""Field helpers both mappers share, so a tag, a timestamp or a rule reads the same from either source."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

Doc = dict[str, Any]


class DocumentError(ValueError):
    """A raw document that cannot be normalised; the message names the resource and the field."""


def tag_map(value: Any) -> dict[str, str]:
    """AWS ``[{"Key", "Value"}]`` lists and Terraform maps both become ``{key: value}``.

    A tag with an empty value says nothing (no owner, no cost centre), so it is left out: policies then
    treat it as missing with one cheap key check.
    """
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if v}
    return {t["Key"]: t["Value"] for t in value if t.get("Value")}


def timestamp(value: Any, where: str) -> str | None:
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


_PROTOCOLS = {"-1": "all", "all": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}
INTERNET = ("0.0.0.0/0", "::/0")


def security_group_rule(protocol: Any, from_port: Any, to_port: Any, ipv4: list[str], ipv6: list[str]) -> Doc:
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


def network_acl_rule(
    number: Any, action: Any, protocol: Any, from_port: Any, to_port: Any, ipv4: Any, ipv6: Any
) -> Doc:
    """A network ACL rule: a security group rule (one source range at most) with its number and action."""
    ranges = [cidr for cidr in (ipv4,) if cidr], [cidr for cidr in (ipv6,) if cidr]
    return security_group_rule(protocol, from_port, to_port, *ranges) | {
        "rule_number": int(number),
        "action": str(action).lower(),
    }


def instance_family(instance_type: str | None) -> str | None:
    """ "m6i" of "m6i.large"."""
    return instance_type.split(".", 1)[0] if instance_type else None


def _statements(policy: Any, where: str, kind: str) -> list[Mapping[str, Any]]:
    """The statements of an IAM policy given as a dict or as (URL-encoded) JSON text."""
    if isinstance(policy, str):
        try:
            policy = json.loads(urllib.parse.unquote(policy))
        except ValueError:
            raise DocumentError(f"{where}: the {kind} is not JSON") from None
    statements = (policy or {}).get("Statement", [])
    return [statements] if isinstance(statements, Mapping) else statements


def permission_statements(policy: Any, where: str) -> list[Doc]:
    """IAM permission policy statements with actions and resources as lists; a NotAction or NotResource
    statement lists none (it grants what it does not name, which no policy here judges)."""
    return [
        {
            "effect": statement.get("Effect", "Allow"),
            "actions": _as_list(statement.get("Action", [])),
            "resources": _as_list(statement.get("Resource", [])),
        }
        for statement in _statements(policy, where, "policy document")
    ]


def trust_statements(policy: Any, where: str) -> list[Doc]:
    """IAM trust policy statements with principals and actions as lists; Principal "*" is {"AWS": ["*"]}."""
    result = []
    for statement in _statements(policy, where, "trust policy"):
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


def public_access_block(block_acls: Any, ignore_acls: Any, block_policy: Any, restrict: Any) -> Doc:
    return {
        "block_public_acls": bool(block_acls),
        "ignore_public_acls": bool(ignore_acls),
        "block_public_policy": bool(block_policy),
        "restrict_public_buckets": bool(restrict),
    }


PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def bucket_policy_facts(policy: Any, where: str) -> tuple[bool, bool]:
    """(tls_required, public_policy) of a bucket policy (JSON text, a mapping, or none).

    TLS is required when a Deny statement matches ``aws:SecureTransport`` false; the policy is public when
    an Allow statement names Principal ``*`` (or ``{"AWS": "*"}``) without any condition.
    """
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except ValueError:
            raise DocumentError(f"{where}: the bucket policy is not JSON") from None
    statements = (policy or {}).get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    tls_required = public = False
    for statement in statements:
        principal = statement.get("Principal")
        everyone = principal == "*" or (isinstance(principal, Mapping) and "*" in _as_list(principal.get("AWS")))
        condition = statement.get("Condition") or {}
        if statement.get("Effect") == "Deny" and _denies_plain_http(condition):
            tls_required = True
        if statement.get("Effect") == "Allow" and everyone and not condition:
            public = True
    return tls_required, public


def _denies_plain_http(condition: Mapping[str, Any]) -> bool:
    secure = (condition.get("Bool") or {}).get("aws:SecureTransport")
    return [str(value).lower() for value in _as_list(secure)] == ["false"]


# A classic DataResource value naming every bucket: "arn:aws:s3" (AWS's form), "arn:aws:s3:::" or "arn:aws:s3:::*/*"
S3_EVERY_BUCKET = re.compile(r"^arn:[\w-]+:s3(:::(\*/\*)?)?$")
_AWS_DEFAULT_SELECTORS = [{"ReadWriteType": "All", "IncludeManagementEvents": True}]


def recorded_events(selectors: list[Mapping[str, Any]], advanced: list[Mapping[str, Any]]) -> Doc:
    """Which management events and which S3 object-level events of every bucket a trail records ("All",
    "ReadOnly", "WriteOnly" or None), from its classic or advanced event selectors in the API's shape. A trail
    with neither has AWS's default: all management events, no data events."""
    management, s3_objects = [], []
    for selector in selectors or ([] if advanced else _AWS_DEFAULT_SELECTORS):
        kind = selector.get("ReadWriteType") or "All"
        if selector.get("IncludeManagementEvents") is not False:
            management.append(kind)
        if any(resource.get("Type") == "AWS::S3::Object" and any(map(S3_EVERY_BUCKET.match, resource.get("Values") or []))
               for resource in selector.get("DataResources") or []):
            s3_objects.append(kind)
    for selector in advanced:
        fields = {field.get("Field"): field for field in selector.get("FieldSelectors") or []}
        category = fields.pop("eventCategory", {}).get("Equals")
        kind = _read_write(fields.pop("readOnly", None))
        if category == ["Management"]:
            management.append(kind)  # eventSource exclusions are cost controls that CIS does not judge
        elif category == ["Data"] and fields.pop("resources.type", {}).get("Equals") == ["AWS::S3::Object"]:
            if not fields:  # resources.ARN, eventName, ... narrow it to some buckets or calls
                s3_objects.append(kind)
    return {"management_events": _union(management), "s3_object_events": _union(s3_objects)}


def _read_write(field: Mapping[str, Any] | None) -> str:
    """The events an advanced selector's ``readOnly`` field lets through."""
    field = field or {}
    if field.get("Equals") == ["true"] or field.get("NotEquals") == ["false"]:
        return "ReadOnly"
    if field.get("Equals") == ["false"] or field.get("NotEquals") == ["true"]:
        return "WriteOnly"
    return "All"


def _union(kinds: list[str]) -> str | None:
    found = set(kinds)
    if "All" in found or {"ReadOnly", "WriteOnly"} <= found:
        return "All"
    return found.pop() if found else None
