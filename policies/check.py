"""The pre-deployment check: a Terraform plan through the whole policy library.

The provisioner calls ``check_plan`` before creating anything; ``cloudforge policy check`` wraps it for CI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from policies.config import PolicyConfig
from policies.documents import PlanFormatError, from_plan
from policies.evaluate import Evaluator, Finding
from policies.library import Policy

EXPECTED = "expected the JSON of `terraform show -json PLANFILE`"


@dataclass(frozen=True)
class CheckResult:
    source: str  # the plan file, or "plan" when given as a dict
    findings: tuple[Finding, ...]
    evaluated: tuple[tuple[str, str], ...]  # (address, resource type) of each resource the policies saw
    skipped: tuple[tuple[str, str], ...]  # (address, Terraform type) of resources no policy covers
    policies: Mapping[str, Policy]

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
    )
