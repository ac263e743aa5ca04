"""The pre-deployment check: a Terraform plan through the whole policy library.

The provisioner calls ``check_plan`` before creating anything; ``cloudforge policy check`` wraps it for CI.
A policy that does not deny a resource whose document has fields only apply will tell, and reads one of
those fields, is reported "unknown at plan time" (``CheckResult.unknown``): it neither denies nor passes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from policies.config import PolicyConfig
from policies.documents import PlanDocuments, PlanFormatError, from_plan
from policies.documents.schemas import schema
from policies.evaluate import Evaluator, Finding
from policies.library import Library, Policy

EXPECTED = "expected the JSON of `terraform show -json PLANFILE`"


@dataclass(frozen=True, order=True)
class UnknownAtPlan:
    """A policy that cannot judge a resource before apply: it reads fields the plan does not know yet."""

    policy_id: str
    resource_key: str
    resource_type: str
    severity: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class CheckResult:
    source: str  # the plan file, or "plan" when given as a dict
    findings: tuple[Finding, ...]
    evaluated: tuple[tuple[str, str], ...]  # (address, resource type) of each resource the policies saw
    skipped: tuple[tuple[str, str], ...]  # (address, Terraform type) of resources no policy covers
    policies: Mapping[str, Policy]
    unknown: tuple[UnknownAtPlan, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.findings


def read_plan(plan: Mapping[str, Any] | str | Path) -> tuple[Any, str]:
    """The decoded plan and a name for messages; PlanFormatError when the file is not JSON."""
    if isinstance(plan, Mapping):
        return plan, "plan"
    path = Path(plan)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PlanFormatError(f"{path}: cannot read the plan: {error.strerror}") from None
    if raw.startswith(b"PK"):
        raise PlanFormatError(f"{path}: this is a binary plan file; {EXPECTED} (run it on this file)")
    try:
        return json.loads(raw), str(path)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlanFormatError(f"{path}: not valid JSON ({error}); {EXPECTED}") from None


def check_plan(
    plan: Mapping[str, Any] | str | Path, config: PolicyConfig | None = None, *, now: datetime
) -> CheckResult:
    """Evaluate every policy on every resource the plan leaves in place; PlanFormatError on bad input."""
    decoded, source = read_plan(plan)
    documents = from_plan(decoded, source)
    evaluator = Evaluator(config)
    findings = evaluator.evaluate(documents.documents, now)
    return CheckResult(
        source=source,
        findings=tuple(findings),
        evaluated=tuple((address, resource_type) for address, resource_type, _ in documents.documents),
        skipped=tuple(documents.skipped),
        policies=evaluator.policies,
        unknown=tuple(unknown_at_plan(documents, findings, evaluator.library)),
    )


def unknown_at_plan(
    documents: PlanDocuments, findings: Iterable[Finding], library: Library
) -> list[UnknownAtPlan]:
    """Each (policy, resource) the policy did not deny although it reads a field of the resource that is
    unknown."""
    denied = {(f.policy_id, f.resource_key) for f in findings}
    reads = {p.id: fields_read(p, library) for p in library.policies}
    results = []
    for address, resource_type, _ in documents.documents:
        unknown = documents.unknown.get(address, frozenset())
        for policy in library.policies if unknown else ():
            needed = unknown & reads[policy.id].get(resource_type, frozenset())
            if needed and (policy.id, address) not in denied:
                fields = tuple(sorted(needed))
                results.append(UnknownAtPlan(policy.id, address, resource_type, policy.severity, fields))
    return sorted(results)


_IMPORT = re.compile(r"^import\s+data\.([\w.]+)", re.MULTILINE)
_FIELD = re.compile(r"\.([a-z_][a-z0-9_]*)\b")
_COMMENT = re.compile(r"#.*")


def fields_read(policy: Policy, library: Library) -> dict[str, frozenset[str]]:
    """The document fields the policy reads, per resource type it judges: its types' fields that its module or
    a library module it imports names as ``.field``. Read from the source, so it may name a field the policy
    only mentions (then an unknown there is reported although it would not change the verdict): reporting too
    much is safe, passing an unknown silently is not."""
    imported = set(_IMPORT.findall(policy.module.source))
    sources = [policy.module.source, *(m.source for m in library.modules if m.package in imported)]
    named = {name for source in sources for name in _FIELD.findall(_COMMENT.sub("", source))}
    return {t: frozenset(schema(t)["properties"]) & named for t in policy.resource_types}
