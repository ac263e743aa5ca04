"""The demo estate's security settings beyond what ``demo.estate`` draws: each passes or fails a policy.

``with_compliance_settings`` adds attributes to the estate's own resources (never to those AWS creates).
They are decided by each resource's position among the estate's resources of its type, not drawn from the
estate's random stream, so the rest of the estate stays exactly as it was; at the default size every
setting occurs both ways. ``demo.seeding`` applies them; tests derive their expectations from them.

=================  ==================================================================================
rds_instance       iam_auth (IAM database authentication), log_exports (engine log types exported to
                   CloudWatch Logs, () for none), enhanced_monitoring (a 60 s interval),
                   copy_tags_to_snapshot, performance_insights
ec2_instance       detailed_monitoring, instance_profile (the account's demo instance profile attached)
security_group     egress_open (AWS's default allow-all egress rule kept; else only 443/tcp out)
s3_bucket          access_logging (server access logs into the bucket itself, under access/),
                   tls_only (a policy statement denying aws:SecureTransport false), public ("acl": a
                   public-read ACL, "policy": a statement allowing everyone to read, None: private;
                   only buckets without a public access block are made public)
iam_password_policy  minimum_password_length, password_reuse_prevention (both None: the account has
                   no password policy); per account in turn: 14 and 24 (CIS-compliant), 8 and 24, none
cloudwatch_log_group  kms_key (every other group uses its account's KMS key, if it has one; else None),
                   retention_days (365, 30, 0 = never expire, in turn; 0 is set by leaving it out)
cloudtrail_trail   log_file_validation (off for the second trail), kms_key (the trail's key, if any,
                   except for the third), events (TRAIL_EVENTS in turn), monitoring (CIS section 4), in
                   turn: "alarmed" (delivers to its log group, every CIS metric filter there with an alarm notifying an SNS topic with a
                   confirmed subscription), "unsubscribed" (the same, but nobody subscribed to the topic),
                   None (the trail does not deliver to its log group)
iam_user           console_password (a login profile; every third user): with access keys never used,
                   such a user shows keys set up at creation (CIS 1.11)
iam_account        root_mfa ("hardware", "virtual" or None) and root_access_keys, per account in turn:
                   hardware MFA and no keys, a virtual MFA device and no keys, no MFA and access keys
security_group     cifs_open: 445/tcp from the world added to every fourth group (from the second) that
                   is not open on 22 or 3389 (ingress then lists it)
vpc                flow_logs (an active flow log into CloudWatch Logs)
network_acl        ingress, in turn: "restricted" (443 from the world, 22 from 10.0.0.0/8), "ssh-open"
                   (22 from the world), "guarded" (22 and 3389 denied from the world, then all allowed)
ebs_encryption_by_default  enabled, except every third account-region
config_recorder    recorder: "recording", "stopped", "partial" (not all resource types), None, in turn
security_hub       enabled in every other account-region
guardduty_detector  detector: "enabled", "suspended", None, in turn
efs_file_system    encrypted in every other account
access_analyzer    analyzer: "ACCOUNT" (external access), None, "ACCOUNT_UNUSED_ACCESS", in turn
=================  ==================================================================================

Performance Insights: moto accepts EnablePerformanceInsights but does not report it; ``demo.moto_gaps`` sets
it on moto's model, so describe_db_instances answers PerformanceInsightsEnabled as AWS would.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any, Protocol, TypeVar


class _Spec(Protocol):
    """What the settings read of a ``demo.estate.ResourceSpec`` (a dataclass), not imported: the estate applies
    these settings when it is generated, so importing it here would be a circle."""

    resource_type: str
    attributes: dict[str, Any]
    managed_by: str


Spec = TypeVar("Spec", bound=_Spec)

INSTANCE_PROFILE = "cloudforge-demo-instance"
TRAIL_MONITORING = ("alarmed", "unsubscribed", None)
LOG_EXPORTS = {"postgres": ("postgresql", "upgrade"), "mysql": ("error", "slowquery")}


def _bit(position: int, bit: int) -> bool:
    """Bit ``bit`` of the position: settings on different bits combine every way over four resources."""
    return bool(position >> bit & 1)


def _rds_instance(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "iam_auth": _bit(position, 0),
        "log_exports": LOG_EXPORTS[attributes["engine"]] if _bit(position, 1) else (),
        "enhanced_monitoring": _bit(position, 2),
        "copy_tags_to_snapshot": not _bit(position, 0),
        "performance_insights": _bit(position, 1) != _bit(position, 2),
    }


def _ec2_instance(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"detailed_monitoring": _bit(position, 0), "instance_profile": _bit(position, 1)}


WORLD = "0.0.0.0/0"
NETWORK_ACL_KINDS = {  # rules: (number, action, protocol, from port, to port, source)
    "restricted": ((100, "allow", "6", 443, 443, WORLD), (110, "allow", "6", 22, 22, "10.0.0.0/8")),
    "ssh-open": ((100, "allow", "6", 22, 22, WORLD),),
    "guarded": ((90, "deny", "6", 22, 22, WORLD), (91, "deny", "6", 3389, 3389, WORLD),
                (100, "allow", "-1", 0, 65535, WORLD)),
}


def _security_group(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    admin_open = any(cidr == WORLD and port in (22, 3389) for port, cidr in attributes["ingress"])
    cifs_open = position % 4 == 1 and not admin_open
    ingress = attributes["ingress"] + (((445, WORLD),) if cifs_open else ())
    return {"egress_open": not _bit(position, 0), "cifs_open": cifs_open, "ingress": ingress}


def _vpc(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"flow_logs": _bit(position, 0)}


def _network_acl(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    kinds = list(NETWORK_ACL_KINDS)
    return {"kind": kinds[position % 3], "ingress": NETWORK_ACL_KINDS[kinds[position % 3]]}


def _s3_bucket(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"access_logging": _bit(position, 0), "tls_only": _bit(position, 1), "public": None}


def _exposed_bucket(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    """A bucket without a public access block: public by ACL, by policy or not at all, in turn."""
    return _s3_bucket(position, attributes) | {"public": ("acl", "policy", None)[position % 3]}


def _password_policy(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    length, reuse = ((14, 24), (8, 24), (None, None))[position % 3]
    return {"minimum_password_length": length, "password_reuse_prevention": reuse}


def _log_group(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"kms_key": None if _bit(position, 0) else attributes["key"], "retention_days": (365, 30, 0)[position % 3]}


# what each trail records, in turn: "default" (no selector set: AWS's all management events, no data
# events), "write" (classic: write-only management and S3 object events), "all" (advanced: all of both)
TRAIL_EVENTS = ("default", "write", "all")
ANALYZER_TYPES = ("ACCOUNT", None, "ACCOUNT_UNUSED_ACCESS")  # external access, none, unused access only


def _trail(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "log_file_validation": position % 3 != 1,
        "kms_key": attributes["key"] if position % 3 != 2 else None,
        "events": TRAIL_EVENTS[position % 3],
        "monitoring": TRAIL_MONITORING[position % 3],
    }


def _user(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"console_password": position % 3 == 0}


def _account(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    mfa, keys = (("hardware", False), ("virtual", False), (None, True))[position % 3]
    return {"root_mfa": mfa, "root_access_keys": keys}
def _file_system(position: int, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"encrypted": position % 2 == 0}


SETTINGS = {
    "rds_instance": _rds_instance,
    "ec2_instance": _ec2_instance,
    "security_group": _security_group,
    "s3_bucket": _s3_bucket,
    "exposed s3_bucket": _exposed_bucket,
    "iam_password_policy": _password_policy,
    "cloudwatch_log_group": _log_group,
    "cloudtrail_trail": _trail,
    "iam_user": _user,
    "iam_account": _account,
    "vpc": _vpc,
    "network_acl": _network_acl,
    "ebs_encryption_by_default": lambda position, _: {"enabled": position % 3 != 2},
    "config_recorder": lambda position, _: {"recorder": ("recording", "stopped", "partial", None)[position % 4]},
    "security_hub": lambda position, _: {"enabled": position % 2 == 0},
    "guardduty_detector": lambda position, _: {"detector": ("enabled", "suspended", None)[position % 3]},
    "efs_file_system": _file_system,
    "access_analyzer": lambda position, _: {"analyzer": ANALYZER_TYPES[position % 3]},
}


def _kind(spec: _Spec) -> str:
    """Which settings apply: buckets without a public access block are counted apart."""
    exposed = spec.resource_type == "s3_bucket" and not spec.attributes["public_access_block"]
    return f"exposed {spec.resource_type}" if exposed else spec.resource_type


def with_compliance_settings(resources: list[Spec]) -> list[Spec]:
    """``resources`` with the settings above added to the attributes of the estate's own resources."""
    positions: Counter[str] = Counter()
    settled = []
    for spec in resources:
        kind = _kind(spec)
        if kind in SETTINGS and spec.managed_by == "estate":
            added = SETTINGS[kind](positions[kind], spec.attributes)
            positions[kind] += 1
            spec = replace(spec, attributes={**spec.attributes, **added})
        settled.append(spec)
    return settled
