"""Drift rules shared by the state ingestion, the dbt drift models (through their vars) and `cloudforge drift check`.

* ``canonical_attributes``: declared attributes in the one shape the live side is compared in (security group
  rules as sorted ``"<protocol> <from>-<to> <source>"`` strings, id lists sorted). The dbt model
  ``int_drift__live_resources`` puts the inventory's documents in the same shape.
* ``differences``: the attribute paths whose values differ; a blank value (null, "", [], {}) is no value. Only the
  attributes both sides have are compared; ``tags`` is compared per key (``tags.<key>``).
* ``classify``: managed, changed, missing or unmanaged per resource, with the ignore rules applied; the dbt models
  implement the same rules in SQL, and a test on the demo holds both to the same result.
* ``ignore_rules_var``: the ``drift.ignore`` rules as the regular expressions both sides match with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("managed", "changed", "missing", "unmanaged")
# Attributes whose drift is a security matter: network exposure, public access, encryption.
SECURITY_ATTRIBUTES = frozenset({
    "ingress", "egress", "vpc_security_group_ids", "security_groups", "publicly_accessible",
    "map_public_ip_on_launch", "internal", "encrypted", "storage_encrypted", "kms_key_id", "enable_key_rotation",
    "assume_role_policy", "metadata_options",
})
RULE_ATTRIBUTES = ("ingress", "egress")
SORTED_LISTS = ("vpc_security_group_ids", "security_groups", "subnets", "architectures")
RESHAPED = frozenset(RULE_ATTRIBUTES + SORTED_LISTS)
PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "-1": "all", "all": "all"}


def canonical_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """``attributes`` (a Terraform instance's) with rule sets and id lists in their comparable form; ``attributes``
    itself when it has none (most resources: one set test, no copy)."""
    if RESHAPED.isdisjoint(attributes):
        return attributes
    canonical = dict(attributes)
    for name in canonical.keys() & RESHAPED:
        value = canonical[name]
        if not isinstance(value, list):
            continue
        if name in RULE_ATTRIBUTES:
            canonical[name] = sorted({rule for item in value if isinstance(item, dict)
                                      for rule in _rule_strings(item)})
        else:
            canonical[name] = sorted(str(item) for item in value)
    return canonical


def _rule_strings(rule: Mapping[str, Any]) -> list[str]:
    protocol = PROTOCOLS.get(str(rule.get("protocol", "")).lower(), str(rule.get("protocol", "")).lower())
    ports = "" if protocol == "all" else f" {rule.get('from_port')}-{rule.get('to_port')}"
    sources = [*(rule.get("cidr_blocks") or []), *(rule.get("ipv6_cidr_blocks") or []),
               *(rule.get("prefix_list_ids") or []), *(rule.get("security_groups") or [])]
    sources += ["self"] if rule.get("self") else []
    return [f"{protocol}{ports} {source}" for source in sources]


def blank(value: Any) -> Any:
    """None for a value that says nothing (null, "", [], {}), else the value."""
    return None if value in (None, "", [], {}) else value


def differences(declared: Mapping[str, Any], live: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(path, declared, live) for every compared attribute whose values differ, sorted by path."""
    found = []
    for name in sorted(declared.keys() & live.keys()):
        if name == "tags":
            declared_tags, live_tags = declared["tags"] or {}, live["tags"] or {}
            for key in sorted(declared_tags.keys() | live_tags.keys()):
                mine, theirs = blank(declared_tags.get(key)), blank(live_tags.get(key))
                if mine != theirs:
                    found.append((f"tags.{key}", mine, theirs))
        elif blank(declared[name]) != blank(live[name]):
            found.append((name, blank(declared[name]), blank(live[name])))
    return found


def glob_regex(glob: str) -> str:
    """A glob (``*`` any run, ``?`` one character) as an anchored regular expression that Python's ``re`` and
    PostgreSQL's ``~`` read alike."""
    return "^" + "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob) + "$"


@dataclass(frozen=True)
class IgnoreRule:
    position: int
    type_regex: str
    id_regex: str
    negated: bool
    attribute_regexes: tuple[str, ...]
    reason: str

    def covers(self, resource_type: str, terraform_type: str | None, resource_id: str) -> bool:
        return (any(re.match(self.type_regex, t) for t in (resource_type, terraform_type) if t)
                and re.match(self.id_regex, resource_id) is not None)


def ignore_rules(rules: Iterable[Any]) -> list[IgnoreRule]:
    """The settings' ``drift.ignore`` entries (DriftIgnoreRule) compiled, in order."""
    return [
        IgnoreRule(position, glob_regex(rule.type), glob_regex(rule.id.removeprefix("!")), rule.id.startswith("!"),
                   tuple(glob_regex(path) for path in rule.attributes), rule.reason)
        for position, rule in enumerate(rules, start=1)
    ]


def ignore_rules_var(rules: Iterable[Any]) -> list[dict[str, Any]]:
    """The compiled rules as the dbt var ``drift_ignore``."""
    return [{"position": r.position, "type_regex": r.type_regex, "id_regex": r.id_regex, "negated": r.negated,
             "attribute_regexes": list(r.attribute_regexes), "reason": r.reason} for r in ignore_rules(rules)]


def ignored_by(rules: Sequence[IgnoreRule], resource_type: str, terraform_type: str | None, resource_id: str,
               path: str | None = None) -> IgnoreRule | None:
    """The rule that ignores the resource (``path`` None) or one of its attribute paths; None when none does
    (no rule matches, or the last matching one is a negation)."""
    matching = [
        rule for rule in rules
        if rule.covers(resource_type, terraform_type, resource_id)
        and (not rule.attribute_regexes if path is None
             else any(re.match(regex, path) for regex in rule.attribute_regexes))
    ]
    return matching[-1] if matching and not matching[-1].negated else None


@dataclass(frozen=True)
class Declared:
    source_uri: str
    address: str
    terraform_type: str
    inventory_type: str
    resource_id: str
    account_id: str | None
    region: str | None
    attributes: dict[str, Any]


@dataclass(frozen=True)
class Live:
    account_id: str
    region: str
    resource_type: str
    resource_id: str
    attributes: dict[str, Any]


@dataclass
class DriftItem:
    category: str
    resource_type: str
    resource_id: str
    account_id: str | None
    region: str | None
    terraform_type: str | None = None
    source_uri: str | None = None
    address: str | None = None
    differences: list[dict[str, Any]] = field(default_factory=list)
    ignored_reason: str | None = None
    declared_by: list[str] = field(default_factory=list)

    @property
    def is_ignored(self) -> bool:
        return self.ignored_reason is not None


def classify(declared: Iterable[Declared], live: Iterable[Live], rules: Sequence[IgnoreRule]) -> list[DriftItem]:
    """One item per resource in either world. A resource (type, id, account) declared twice is judged by its first
    declaration (by state file, then address) and lists every one in ``declared_by``."""
    declarations: dict[tuple[str, str, str | None], list[Declared]] = {}
    for item in sorted(declared, key=lambda d: (d.source_uri, d.address)):
        declarations.setdefault((item.inventory_type, item.resource_id, item.account_id), []).append(item)
    running: dict[tuple[str, str], list[Live]] = {}
    for resource in live:
        running.setdefault((resource.resource_type, resource.resource_id), []).append(resource)
    items, matched = [], set()
    for key, found in declarations.items():
        first = found[0]
        candidates = [r for r in running.get(key[:2], []) if first.account_id in (None, r.account_id)]
        twin = min(candidates, key=lambda r: r.account_id, default=None)
        item = DriftItem("missing", first.inventory_type, first.resource_id, first.account_id, first.region,
                         first.terraform_type, first.source_uri, first.address,
                         declared_by=[f"{d.source_uri} {d.address}" for d in found])
        if twin is not None:
            matched.add(id(twin))
            item.account_id, item.region = twin.account_id, twin.region
            for path, mine, theirs in differences(first.attributes, twin.attributes):
                rule = ignored_by(rules, first.inventory_type, first.terraform_type, first.resource_id, path)
                item.differences.append({"path": path, "declared": mine, "live": theirs,
                                         "ignored_reason": rule.reason if rule else None})
            drifted = any(d["ignored_reason"] is None for d in item.differences)
            item.category = "changed" if drifted else "managed"
        items.append(item)
    for found in running.values():
        items += [DriftItem("unmanaged", r.resource_type, r.resource_id, r.account_id, r.region)
                  for r in found if id(r) not in matched]
    for item in items:
        rule = ignored_by(rules, item.resource_type, item.terraform_type, item.resource_id)
        item.ignored_reason = rule.reason if rule else None
    return sorted(items, key=lambda i: (i.account_id or "", i.resource_type, i.resource_id))


def counts(items: Iterable[DriftItem]) -> dict[str, int]:
    """Items per category, ignored ones apart (under ``ignored``), as the marts count them."""
    totals = dict.fromkeys((*CATEGORIES, "ignored"), 0)
    for item in items:
        totals["ignored" if item.is_ignored else item.category] += 1
    return totals
