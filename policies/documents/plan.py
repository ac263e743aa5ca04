"""``terraform show -json`` plans to the normalised documents policies judge.

Each managed resource that exists after apply (``resource_changes[].change.after``) is mapped, with
companion resources (bucket encryption, versioning and public access block; security group and network ACL
rules; IAM login profiles and access keys; VPC flow logs; Config recorder status) joined to their parent.
Plan values describe what the configuration declares: a bucket without a declared encryption or
public-access-block resource has none, whatever the AWS account defaults may later add.

An attribute the plan leaves out (absent or ``null`` in ``after``) takes the AWS provider's documented default
(``PROVIDER_DEFAULTS``), so a plan is judged like the resource it creates. A value Terraform only learns on
apply (``after_unknown``) is an ``Unknown`` while mapping; the document then holds ``null`` there (the
provider's default where the schema does not allow null), and ``PlanDocuments.unknown`` names those fields,
so the plan check reports the policies that read them as "unknown at plan time" instead of passing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from policies.documents.fields import (
    PUBLIC_GRANTEES,
    Doc,
    bucket_policy_facts,
    instance_family,
    permission_statements,
    network_acl_rule,
    public_access_block,
    recorded_events,
    security_group_rule,
    tag_map,
    trust_statements,
)


@dataclass(frozen=True)
class Unknown:
    """A value known only after apply. Truthy: an unknown reference (``instance = aws_instance.web.id``) still
    says that something is set. ``fallback`` is what the document holds: null, or for a field the schema does
    not let be null, the provider's default."""

    fallback: Any = None


UNKNOWN = Unknown()

# Terraform type -> {attribute: the AWS provider's default when the configuration leaves it out}, from the
# provider's argument reference (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/...).
# Attributes AWS computes instead (ebs encrypted, backup_retention_period, associate_public_ip_address) have
# no default here: Terraform plans them as unknown (after_unknown), and absent they stay null.
PROVIDER_DEFAULTS: dict[str, dict[str, Any]] = {
    "aws_db_instance": {
        "storage_encrypted": False,  # "The default is false if not specified"
        "deletion_protection": False,  # "The default is false"
        "publicly_accessible": False,  # "Default is false"
        "multi_az": False,  # RDS CreateDBInstance: MultiAZ defaults to false
        "auto_minor_version_upgrade": True,  # "Defaults to true"
        "iam_database_authentication_enabled": False,  # RDS CreateDBInstance: defaults to false
        "enabled_cloudwatch_logs_exports": [],  # none unless listed
        "monitoring_interval": 0,  # "The default is 0" (enhanced monitoring off)
        "performance_insights_enabled": False,  # "Defaults to false"
        "copy_tags_to_snapshot": False,  # "Default is false"
    },
    "aws_ebs_volume": {"type": "gp2"},  # "(Default: gp2)"
    # metadata_options: http_endpoint "Defaults to enabled", http_tokens "Defaults to optional"
    # root_block_device: encrypted "Defaults to false"; monitoring (detailed) "Defaults to false"
    "aws_instance": {
        "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "optional"}],
        "root_block_device": [{"encrypted": False}],
        "monitoring": False,
    },
    "aws_kms_key": {
        "enable_key_rotation": False,  # "Defaults to false"
        "is_enabled": True,  # "Defaults to true"
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",  # "Defaults to SYMMETRIC_DEFAULT"
    },
    "aws_subnet": {"map_public_ip_on_launch": False},  # "Default is false"
    "aws_default_subnet": {"map_public_ip_on_launch": True},  # default subnets assign public IPs
    "aws_lb": {"internal": False, "load_balancer_type": "application"},  # "Defaults to false" / "application"
    "aws_alb": {"internal": False, "load_balancer_type": "application"},
    "aws_elb": {"internal": False},  # "If true, ELB will be an internal ELB"; default false
    "aws_lambda_function": {"package_type": "Zip"},  # "Defaults to Zip"
    "aws_iam_role": {"path": "/"},  # "Defaults to /"
    # minimum_password_length "Defaults to 6"; the require_* flags are false unless set (IAM's defaults)
    "aws_iam_account_password_policy": {
        "minimum_password_length": 6,
        "require_symbols": False,
        "require_numbers": False,
        "require_uppercase_characters": False,
        "require_lowercase_characters": False,
    },
    # retention_in_days "Defaults to 0" (events never expire); without kms_key_id no KMS key encrypts it
    "aws_cloudwatch_log_group": {"retention_in_days": 0},
    # enable_logging "Defaults to true"; is_multi_region_trail, enable_log_file_validation "Defaults to false"
    "aws_cloudtrail": {"enable_logging": True, "is_multi_region_trail": False, "enable_log_file_validation": False},
    "aws_ebs_encryption_by_default": {"enabled": True},  # "Defaults to true"
    "aws_efs_file_system": {"encrypted": False},  # EFS CreateFileSystem: Encrypted defaults to false
    # recording_group: all_supported "Defaults to true", include_global_resource_types "Defaults to false"
    "aws_config_configuration_recorder": {
        "name": "default",  # "Defaults to default"
        "recording_group": [{"all_supported": True, "include_global_resource_types": False}],
    },
    "aws_securityhub_account": {"auto_enable_controls": True},  # "Defaults to true"
    "aws_guardduty_detector": {"enable": True},  # "Defaults to true"
    "aws_accessanalyzer_analyzer": {"type": "ACCOUNT"},  # "Defaults to ACCOUNT"
}


def _derive(value: Any, convert: Callable[[Any], Any]) -> Any:
    """``convert(value)``, keeping ``None`` and an unknown as they are."""
    return value if value is None or isinstance(value, Unknown) else convert(value)


def _or_empty(value: Any) -> Any:
    """The list, else ``[]``, for fields that cannot be null; an unknown stays unknown, holding ``[]``."""
    return Unknown([]) if isinstance(value, Unknown) else value or []


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
    metric_filters: Any = None  # a trail's: the filters on its log group (_join_trail_monitoring)

    def known(self, attribute: str) -> Any:
        """The planned value; the provider's default when the plan leaves it out; UNKNOWN until apply."""
        if self.unknown.get(attribute) is True:
            return UNKNOWN
        value = self.after.get(attribute)
        return PROVIDER_DEFAULTS.get(self.type, {}).get(attribute) if value is None else value

    def defaulted(self, attribute: str) -> Any:
        """``known``, for a field that cannot be null: an unknown falls back to the provider's default."""
        value = self.known(attribute)
        return Unknown(PROVIDER_DEFAULTS[self.type][attribute]) if isinstance(value, Unknown) else value

    def tags(self) -> dict[str, str]:
        """``tags_all`` (which includes the provider's default_tags) when known, else ``tags``."""
        value = self.known("tags_all")
        return tag_map(value if isinstance(value, Mapping) else self.after.get("tags"))


def _imdsv2_required(c: _Change) -> Any:
    """Required when tokens are required or the endpoint is off; an option the block leaves out takes the
    provider's default, one Terraform learns on apply (nested in after_unknown) leaves the answer unknown."""
    options = c.known("metadata_options")
    if isinstance(options, Unknown):
        return options
    declared, unknown = _first(options), _first(c.unknown.get("metadata_options"))
    defaults = _first(PROVIDER_DEFAULTS["aws_instance"]["metadata_options"])
    values = {
        key: UNKNOWN if unknown.get(key) is True else declared.get(key) or default
        for key, default in defaults.items()
    }
    if values["http_tokens"] == "required" or values["http_endpoint"] == "disabled":
        return True
    return UNKNOWN if UNKNOWN in values.values() else False


def _nested(c: _Change, block: str, key: str) -> Any:
    """``key`` of the single nested ``block``: the provider's default when left out, unknown when planned so."""
    value = c.known(block)
    if isinstance(value, Unknown) or _first(c.unknown.get(block)).get(key) is True:
        return UNKNOWN
    declared = _first(value).get(key)
    return _first(PROVIDER_DEFAULTS[c.type][block])[key] if declared is None else declared


def _root_volume_encrypted(c: _Change) -> Any:
    """The root block device's ``encrypted``: its default (false) when left out, unknown when planned so."""
    return _nested(c, "root_block_device", "encrypted")


def _plan_instance(c: _Change) -> Doc:
    public = c.known("associate_public_ip_address")
    return {
        "id": c.known("id"),
        "instance_type": c.known("instance_type"),
        "instance_family": _derive(c.known("instance_type"), instance_family),
        "state": None,
        "launched_at": None,
        "has_public_ip": public if isinstance(public, bool | Unknown) else None,
        "imdsv2_required": _imdsv2_required(c),
        "volume_ids": None,
        "root_volume_encrypted": _root_volume_encrypted(c),
        "detailed_monitoring": c.known("monitoring"),
        "has_instance_profile": _derive(c.known("iam_instance_profile"), bool) or False,
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
    # Inline rules Terraform computes (no ingress/egress argument) are the rule resources joined below.
    inline = {d: c.known(d) for d in ("ingress", "egress")}
    rules = {d: [_plan_rule(r) for r in _settle(listed) or []] for d, listed in inline.items()}
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
    is_default = c.type == "aws_default_vpc"
    return {
        "id": c.known("id"),
        "cidr_block": c.known("cidr_block"),
        "is_default": is_default,
        # a flow log declared for the VPC; without one in the plan, unknown until apply: flow logs are often
        # another stack's or the organisation's (like a trail bucket's logging), and the inventory judges them
        "flow_logs_enabled": True if c.joined.get("aws_flow_log") else UNKNOWN,
        "tags": c.tags(),
    }


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
    tls_required, public_policy = _bucket_policy(c)
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
        "access_logging_enabled": bool(c.joined.get("aws_s3_bucket_logging")),
        "tls_required": tls_required,
        "public_acl": any(_public_acl(acl) for acl in c.joined.get("aws_s3_bucket_acl", [])),
        "public_policy": public_policy,
        "tags": c.tags(),
    }


_PUBLIC_CANNED_ACLS = ("public-read", "public-read-write", "authenticated-read")


def _public_acl(acl: Mapping[str, Any]) -> bool:
    """A canned ACL or an access_control_policy that grants to AllUsers or AuthenticatedUsers."""
    grants = _first(acl.get("access_control_policy")).get("grant") or []
    uris = [_first(grant.get("grantee")).get("uri") for grant in grants]
    return acl.get("acl") in _PUBLIC_CANNED_ACLS or any(uri in PUBLIC_GRANTEES for uri in uris)


def _bucket_policy(c: _Change) -> tuple[Any, Any]:
    """(tls_required, public_policy) of the joined aws_s3_bucket_policy: both false without one, unknown
    while its JSON is (a policy built from references or a policy document data source)."""
    policies = c.joined.get("aws_s3_bucket_policy") or [{"policy": "{}"}]
    if policies[0].get("policy") is None:
        return UNKNOWN, UNKNOWN
    return bucket_policy_facts(policies[0]["policy"], c.address)


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
        "iam_auth_enabled": c.known("iam_database_authentication_enabled"),
        "log_exports": _derive(c.known("enabled_cloudwatch_logs_exports"), sorted),
        "monitoring_interval": c.known("monitoring_interval"),
        "performance_insights_enabled": c.known("performance_insights_enabled"),
        "copy_tags_to_snapshot": c.known("copy_tags_to_snapshot"),
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
        # a policy created in the same plan has an ARN unknown until apply: null
        "attached_policies": [a.get("policy_arn") for a in c.joined.get("aws_iam_user_policy_attachment", [])],
        "inline_policies": [p.get("name") for p in c.joined.get("aws_iam_user_policy", [])],
        "tags": c.tags(),
    }


def _plan_iam_role(c: _Change) -> Doc:
    policy = c.known("assume_role_policy")
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "path": c.defaulted("path"),
        "created_at": None,
        "trust_statements": _or_empty(_derive(policy, lambda p: trust_statements(p, c.address))),
        "tags": c.tags(),
    }


def _plan_lambda_function(c: _Change) -> Doc:
    return {
        "name": c.known("function_name"),
        "arn": c.known("arn"),
        "runtime": c.known("runtime") or None,  # "" for container images
        "package_type": c.defaulted("package_type"),
        "tags": c.tags(),
    }


def _plan_load_balancer(c: _Change) -> Doc:
    subnets = c.known("subnets") or c.known("subnet_mapping") or c.known("availability_zones")
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "type": c.known("load_balancer_type") or "classic",  # aws_elb has no load_balancer_type
        "scheme": _derive(c.known("internal"), lambda inside: "internal" if inside else "internet-facing"),
        "zone_count": _derive(subnets, len) or None,
        "tags": c.tags(),
    }


def _plan_iam_password_policy(c: _Change) -> Doc:
    return {
        "exists": True,
        "minimum_length": c.known("minimum_password_length"),
        "reuse_prevention": c.known("password_reuse_prevention") or None,
        "require_symbols": c.known("require_symbols"),
        "require_numbers": c.known("require_numbers"),
        "require_uppercase": c.known("require_uppercase_characters"),
        "require_lowercase": c.known("require_lowercase_characters"),
        "max_age_days": c.known("max_password_age") or None,
    }


def _plan_iam_policy(c: _Change) -> Doc:
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "attachment_count": None,  # attachments are resources of their own
        "statements": _or_empty(_derive(c.known("policy"), lambda p: permission_statements(p, c.address))),
        "tags": c.tags(),
    }


def _plan_iam_server_certificate(c: _Change) -> Doc:
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "expires_at": c.known("expiration"),  # read from the certificate by AWS: unknown until apply
    }


def _plan_kms_key(c: _Change) -> Doc:
    return {
        "id": c.known("key_id"),
        "arn": c.known("arn"),
        "manager": "CUSTOMER",
        "state": _derive(c.known("is_enabled"), lambda enabled: "Enabled" if enabled else "Disabled"),
        "spec": c.known("customer_master_key_spec"),
        "rotation_enabled": c.known("enable_key_rotation"),
        "tags": c.tags(),
    }


def _kms_key(c: _Change) -> dict[str, Any]:
    """kms_key_id and kms_encrypted: none and false when the plan sets no key, unknown while the key is."""
    key = c.known("kms_key_id")
    return {"kms_key_id": key or None, "kms_encrypted": False if key is None else _derive(key, bool)}


def _plan_cloudwatch_log_group(c: _Change) -> Doc:
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        **_kms_key(c),
        "retention_days": c.known("retention_in_days"),
        "tags": c.tags(),
    }


def _plan_network_acl(c: _Change) -> Doc:
    # Inline ingress blocks (rule_no, action) and aws_network_acl_rule resources (rule_number, rule_action).
    inline = [
        network_acl_rule(r.get("rule_no"), r.get("action"), r.get("protocol"), r.get("from_port"),
                         r.get("to_port"), r.get("cidr_block"), r.get("ipv6_cidr_block"))
        for r in _settle(c.known("ingress")) or []
    ]
    separate = [
        network_acl_rule(r.get("rule_number"), r.get("rule_action"), r.get("protocol"), r.get("from_port"),
                         r.get("to_port"), r.get("cidr_block"), r.get("ipv6_cidr_block"))
        for r in c.joined.get("aws_network_acl_rule", [])
        if not r.get("egress")
    ]
    return {
        "id": c.known("id"),
        "vpc_id": c.known("vpc_id"),
        "is_default": c.type == "aws_default_network_acl",
        "ingress": sorted(inline + separate, key=lambda rule: rule["rule_number"]),
        "tags": c.tags(),
    }


def _plan_cloudtrail(c: _Change) -> Doc:
    return {
        "name": c.known("name"),
        "arn": c.known("arn"),
        "multi_region": c.known("is_multi_region_trail"),
        "logging": c.known("enable_logging"),
        "log_file_validation": c.known("enable_log_file_validation"),
        **_kms_key(c),
        "s3_bucket_name": c.known("s3_bucket_name"),
        # the bucket's logging is another resource, often in another plan or account: known on apply
        "s3_bucket_access_logging": UNKNOWN,
        **_plan_trail_events(c),
        **_plan_trail_monitoring(c),
        "tags": c.tags(),
    }


# event_selector / advanced_event_selector field_selector attributes -> the API's names
_SELECTOR_KEYS = {"field": "Field", "equals": "Equals", "not_equals": "NotEquals", "starts_with": "StartsWith",
                  "not_starts_with": "NotStartsWith", "ends_with": "EndsWith", "not_ends_with": "NotEndsWith"}


def _plan_trail_events(c: _Change) -> Doc:
    """The trail's event selector blocks in the API's shape, judged as the inventory judges them; without
    any block AWS gives the trail its default selector (all management events, no data events).
    read_write_type "Defaults to All", include_management_events "Defaults to true". Blocks known only on
    apply leave both unknown."""
    if any(isinstance(c.known(block), Unknown) for block in ("event_selector", "advanced_event_selector")):
        return {"management_events": UNKNOWN, "s3_object_events": UNKNOWN}
    selectors = [
        {"ReadWriteType": s.get("read_write_type") or "All",
         "IncludeManagementEvents": s.get("include_management_events") is not False,
         "DataResources": [{"Type": r.get("type"), "Values": r.get("values") or []}
                           for r in s.get("data_resource") or []]}
        for s in c.known("event_selector") or []
    ]
    advanced = [
        {"FieldSelectors": [{_SELECTOR_KEYS[k]: v for k, v in f.items() if k in _SELECTOR_KEYS and v}
                            for f in s.get("field_selector") or []]}
        for s in c.known("advanced_event_selector") or []
    ]
    return recorded_events(selectors, advanced)
def _plan_trail_monitoring(c: _Change) -> Doc:
    """The trail's log group (a reference to one created with it is set, its ARN known on apply) and the
    filters declared on it; unknown as a whole when any filter's pattern or subscription is."""
    group, filters = c.known("cloud_watch_logs_group_arn"), c.metric_filters
    if isinstance(filters, list):
        settled = [{key: _settle(value) for key, value in f.items()} for f in filters]
        pending = any(isinstance(value, Unknown) for f in filters for value in f.values())
        filters = Unknown(settled) if pending else settled
    return {
        "cloudwatch_logs_log_group_arn": group or None,
        "cloudwatch_logs_integrated": bool(group),
        "metric_filters": filters,
    }


def _plan_ebs_encryption_by_default(c: _Change) -> Doc:
    return {"enabled": c.known("enabled")}


def _plan_config_recorder(c: _Change) -> Doc:
    # Without a declared aws_config_configuration_recorder_status the recorder is created stopped.
    status = c.joined.get("aws_config_configuration_recorder_status")
    return {
        "exists": True,
        "name": c.known("name"),
        "recording": _derive(status[0].get("is_enabled"), bool) if status else False,
        "all_supported": _nested(c, "recording_group", "all_supported"),
        "include_global_resource_types": _nested(c, "recording_group", "include_global_resource_types"),
    }


def _plan_security_hub(c: _Change) -> Doc:
    return {"enabled": True, "auto_enable_controls": c.known("auto_enable_controls")}


def _plan_guardduty_detector(c: _Change) -> Doc:
    return {"exists": True, "enabled": c.known("enable")}


def _plan_access_analyzer(c: _Change) -> Doc:
    # A declared analyzer is active once created (ORGANIZATION ones pass through CREATING); a type known only
    # on apply leaves what the region has unknown.
    analyzer = {"name": c.known("analyzer_name"), "arn": c.known("arn"), "type": c.known("type"), "status": "ACTIVE"}
    analyzers = [{key: _settle(value) for key, value in analyzer.items()}]
    return {"analyzers": Unknown(analyzers) if isinstance(analyzer["type"], Unknown) else analyzers}


def _plan_efs_file_system(c: _Change) -> Doc:
    return {
        "id": c.known("id"),
        "name": c.tags().get("Name"),
        "encrypted": c.known("encrypted"),
        "kms_key_id": c.known("kms_key_id"),
        "tags": c.tags(),
    }


# Terraform type -> (resource type, mapper)
MAPPERS: dict[str, tuple[str, Callable[[_Change], Doc]]] = {
    "aws_instance": ("ec2_instance", _plan_instance),
    "aws_ebs_volume": ("ebs_volume", _plan_ebs_volume),
    "aws_ebs_snapshot": ("ebs_snapshot", _plan_ebs_snapshot),
    "aws_ebs_snapshot_copy": ("ebs_snapshot", _plan_ebs_snapshot),
    "aws_eip": ("elastic_ip", _plan_eip),
    "aws_security_group": ("security_group", _plan_security_group),
    "aws_default_security_group": ("security_group", _plan_security_group),
    "aws_vpc": ("vpc", _plan_vpc),
    "aws_default_vpc": ("vpc", _plan_vpc),
    "aws_subnet": ("subnet", _plan_subnet),
    "aws_default_subnet": ("subnet", _plan_subnet),
    "aws_s3_bucket": ("s3_bucket", _plan_s3_bucket),
    "aws_db_instance": ("rds_instance", _plan_db_instance),
    "aws_iam_user": ("iam_user", _plan_iam_user),
    "aws_iam_role": ("iam_role", _plan_iam_role),
    "aws_iam_account_password_policy": ("iam_password_policy", _plan_iam_password_policy),
    "aws_iam_policy": ("iam_policy", _plan_iam_policy),
    "aws_iam_server_certificate": ("iam_server_certificate", _plan_iam_server_certificate),
    "aws_lambda_function": ("lambda_function", _plan_lambda_function),
    "aws_lb": ("load_balancer", _plan_load_balancer),
    "aws_alb": ("load_balancer", _plan_load_balancer),
    "aws_elb": ("load_balancer", _plan_load_balancer),
    "aws_kms_key": ("kms_key", _plan_kms_key),
    "aws_cloudwatch_log_group": ("cloudwatch_log_group", _plan_cloudwatch_log_group),
    "aws_cloudtrail": ("cloudtrail_trail", _plan_cloudtrail),
    "aws_network_acl": ("network_acl", _plan_network_acl),
    "aws_default_network_acl": ("network_acl", _plan_network_acl),
    "aws_ebs_encryption_by_default": ("ebs_encryption_by_default", _plan_ebs_encryption_by_default),
    "aws_config_configuration_recorder": ("config_recorder", _plan_config_recorder),
    "aws_securityhub_account": ("security_hub", _plan_security_hub),
    "aws_guardduty_detector": ("guardduty_detector", _plan_guardduty_detector),
    "aws_efs_file_system": ("efs_file_system", _plan_efs_file_system),
    "aws_accessanalyzer_analyzer": ("access_analyzer", _plan_access_analyzer),
}

_SECURITY_GROUPS = ("aws_security_group", "aws_default_security_group")

# companion type -> (its attribute naming the parent, parent types, parent attributes that value may equal)
_JOINS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "aws_s3_bucket_server_side_encryption_configuration": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_s3_bucket_versioning": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_s3_bucket_public_access_block": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_s3_bucket_logging": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_s3_bucket_policy": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_s3_bucket_acl": ("bucket", ("aws_s3_bucket",), ("bucket", "id")),
    "aws_security_group_rule": ("security_group_id", _SECURITY_GROUPS, ("id",)),
    "aws_vpc_security_group_ingress_rule": ("security_group_id", _SECURITY_GROUPS, ("id",)),
    "aws_vpc_security_group_egress_rule": ("security_group_id", _SECURITY_GROUPS, ("id",)),
    "aws_iam_user_login_profile": ("user", ("aws_iam_user",), ("name",)),
    "aws_iam_access_key": ("user", ("aws_iam_user",), ("name",)),
    "aws_iam_user_policy_attachment": ("user", ("aws_iam_user",), ("name",)),
    "aws_iam_user_policy": ("user", ("aws_iam_user",), ("name",)),
    "aws_flow_log": ("vpc_id", ("aws_vpc", "aws_default_vpc"), ("id",)),
    "aws_network_acl_rule": ("network_acl_id", ("aws_network_acl", "aws_default_network_acl"), ("id",)),
    "aws_config_configuration_recorder_status": ("name", ("aws_config_configuration_recorder",), ("name",)),
}

# joined to the trail whose log group they watch (_join_trail_monitoring), not to one parent
_TRAIL_MONITORING = frozenset(
    {"aws_cloudwatch_log_metric_filter", "aws_cloudwatch_metric_alarm", "aws_sns_topic_subscription"}
)
# SNS protocols whose subscriptions are confirmed when created; email and http(s) wait for the subscriber
_CONFIRMED_ON_CREATION = frozenset({"sqs", "lambda", "firehose", "application", "sms"})

PLAN_RESOURCE_TYPES = frozenset(MAPPERS) | frozenset(_JOINS) | _TRAIL_MONITORING
# resource types no Terraform resource manages (the root user, the account summary): judged in the inventory only
# cloudtrail_account: whether any multi-region trail of the account records something; a plan sees its own trails
INVENTORY_ONLY = frozenset({"iam_account", "cloudtrail_account"})


@dataclass(frozen=True)
class PlanDocuments:
    """The normalised documents of a plan, the fields only apply will tell, and resources no policy covers."""

    documents: list[tuple[str, str, Doc]]  # (address, resource type, document)
    skipped: list[tuple[str, str]]  # (address, Terraform type)
    unknown: dict[str, frozenset[str]]  # address -> document fields unknown until apply


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
    references = _References(plan.get("configuration") or {})
    _join(changes, references)
    _join_trail_monitoring(changes, references)
    documents, unknown = [], {}
    for change in changes:
        if change.type in MAPPERS:
            resource_type, document = _document(change)
            fields = frozenset(field for field, value in document.items() if isinstance(value, Unknown))
            documents.append((change.address, resource_type, {k: _settle(v) for k, v in document.items()}))
            if fields:
                unknown[change.address] = fields
    return PlanDocuments(documents, skipped, unknown)


def _settle(value: Any) -> Any:
    """What the document holds for a value: an unknown's fallback, else the value."""
    return value.fallback if isinstance(value, Unknown) else value


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
        value = _settle(child.known(attribute))
        parents = [c for c in candidates if value is not None and value in map(c.known, parent_attributes)]
        if not parents:
            targets = references.of(child, attribute)
            parents = [c for c in candidates if f"{c.type}.{c.name}" in targets]
            same_index = [c for c in parents if c.index == child.index]
            parents = same_index or parents
        if len(parents) == 1:
            parents[0].joined.setdefault(child.type, []).append(child.after)


def _join_trail_monitoring(changes: list[_Change], references: _References) -> None:
    """Give each trail the metric filters declared on its CloudWatch Logs log group, each with whether an
    alarm watches its metric and notifies a subscribed SNS topic (CIS section 4), by value or reference."""
    by_type: dict[str, list[_Change]] = {}
    for change in changes:
        by_type.setdefault(change.type, []).append(change)
    for trail in by_type.get("aws_cloudtrail", []):
        trail.metric_filters = _trail_filters(trail, by_type, references)


def _refers(child: _Change, attribute: str, parent: _Change, references: _References) -> bool:
    """Whether the child's expression for the attribute refers to the parent (same module)."""
    return child.module == parent.module and f"{parent.type}.{parent.name}" in references.of(child, attribute)


def _trail_filters(trail: _Change, by_type: dict[str, list[_Change]], references: _References) -> Any:
    """[] without a log group; UNKNOWN when its log group is neither named nor in the plan."""
    arn = trail.known("cloud_watch_logs_group_arn")
    if not arn:
        return []
    groups = [
        g for g in by_type.get("aws_cloudwatch_log_group", [])
        if _refers(trail, "cloud_watch_logs_group_arn", g, references)
    ]
    names = {name for g in groups if isinstance(name := g.known("name"), str)}
    if isinstance(arn, str) and len(arn.split(":")) > 6:
        names.add(arn.split(":")[6])  # arn:aws:logs:<region>:<account>:log-group:<name>[:*]
    if not names and not groups:
        return UNKNOWN
    return [
        _metric_filter(f, by_type, references)
        for f in by_type.get("aws_cloudwatch_log_metric_filter", [])
        if _settle(f.known("log_group_name")) in names
        or any(_refers(f, "log_group_name", g, references) for g in groups)
    ]


def _metric_filter(f: _Change, by_type: dict[str, list[_Change]], references: _References) -> Doc:
    metric = _first(_settle(f.known("metric_transformation")))
    watched = (metric.get("name"), metric.get("namespace"))
    alarms = [
        a for a in by_type.get("aws_cloudwatch_metric_alarm", [])
        if (None not in watched and (a.known("metric_name"), a.known("namespace")) == watched)
        or _refers(a, "metric_name", f, references)
    ]
    return {"name": f.known("name"), "pattern": f.known("pattern"), "alarmed": bool(alarms),
            "subscribed": _subscribed(alarms, by_type, references)}


def _subscribed(alarms: list[_Change], by_type: dict[str, list[_Change]], references: _References) -> Any:
    """True when an alarm's action is a topic with a subscription confirmed on creation; unknown when its
    subscriber confirms after apply, or the actions are unknown; false when no subscription is declared."""
    topics = {t for a in alarms for t in _settle(a.known("alarm_actions")) or [] if isinstance(t, str)}
    referred = {(a.module, ref) for a in alarms for ref in references.of(a, "alarm_actions")}
    subscriptions = [
        s for s in by_type.get("aws_sns_topic_subscription", [])
        if _settle(s.known("topic_arn")) in topics
        or {(s.module, ref) for ref in references.of(s, "topic_arn")} & referred
    ]
    if any(s.known("protocol") in _CONFIRMED_ON_CREATION for s in subscriptions):
        return True
    pending = subscriptions or any(isinstance(a.known("alarm_actions"), Unknown) for a in alarms)
    return UNKNOWN if pending else False


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
