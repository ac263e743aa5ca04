"""A plan check as a readable table, as JSON, or as SARIF 2.1.0 for code-scanning UIs.

Policies that could not judge a resource before apply are listed apart, as "unknown at plan time": a table
section, a JSON ``unknown`` list, SARIF results of kind ``open`` (neither pass nor fail).
"""

from __future__ import annotations

import json
from collections import Counter
from importlib.metadata import version
from typing import Any

from policies.check import CheckResult, UnknownAtPlan
from policies.evaluate import Finding
from policies.library import SEVERITIES

_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning reads properties.security-severity: >= 9 critical, >= 7 high, >= 4 medium.
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _ordered(result: CheckResult) -> list[Finding]:
    return sorted(result.findings, key=lambda f: (SEVERITIES.index(f.severity), f.policy_id, f.resource_key))


UNKNOWN_AT_PLAN = "unknown at plan time"


def _unknown_message(u: UnknownAtPlan) -> str:
    return f"{UNKNOWN_AT_PLAN}: {', '.join(u.fields)} known only after apply"


def _ordered_unknown(result: CheckResult) -> list[UnknownAtPlan]:
    return sorted(result.unknown, key=lambda u: (SEVERITIES.index(u.severity), u.policy_id, u.resource_key))


def _summary(result: CheckResult) -> str:
    counts = Counter(f.severity for f in result.findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES)
    verdict = (
        "PASSED: no findings" if result.passed else f"FAILED: {len(result.findings)} findings ({by_severity})"
    )
    line = f"{verdict}; {len(result.evaluated)} resources evaluated"
    if result.unknown:
        line += f", {len(result.unknown)} policy verdicts {UNKNOWN_AT_PLAN}"
    if result.skipped:
        types = ", ".join(sorted({t for _, t in result.skipped}))
        line += f", {len(result.skipped)} not covered by any policy ({types})"
    return line


def _columns(rows: list[tuple[str, str, str, str]]) -> list[str]:
    """Rows aligned in columns; the last column is left as long as it is."""
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return ["  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[3]]) for row in rows]


def render_table(result: CheckResult) -> str:
    lines = [f"Policy check of {result.source}", ""]
    if not result.passed:
        rows = [("SEVERITY", "POLICY", "RESOURCE", "MESSAGE")]
        rows += [(f.severity, f.policy_id, f.resource_key, f.message) for f in _ordered(result)]
        lines += [*_columns(rows), "", "Remediation:"]
        for policy_id in sorted({f.policy_id for f in result.findings}):
            policy = result.policies[policy_id]
            lines += [f"  {policy_id}  {policy.title}", f"      {policy.remediation}"]
        lines.append("")
    if result.unknown:
        rows = [("SEVERITY", "POLICY", "RESOURCE", "KNOWN ONLY AFTER APPLY")]
        rows += [
            (u.severity, u.policy_id, u.resource_key, ", ".join(u.fields))
            for u in _ordered_unknown(result)
        ]
        lines += ["Unknown at plan time (these policies read values Terraform learns on apply):", ""]
        lines += [*_columns(rows), ""]
    lines.append(_summary(result))
    return "\n".join(lines)


def render_json(result: CheckResult) -> str:
    findings = []
    for f in _ordered(result):
        policy = result.policies[f.policy_id]
        findings.append(
            {
                "policy_id": f.policy_id,
                "title": policy.title,
                "severity": f.severity,
                "resource": f.resource_key,
                "resource_type": f.resource_type,
                "message": f.message,
                "remediation": policy.remediation,
                "frameworks": {name: list(controls) for name, controls in policy.frameworks.items()},
            }
        )
    document = {
        "source": result.source,
        "passed": result.passed,
        "evaluated": len(result.evaluated),
        "skipped": [{"address": a, "type": t} for a, t in result.skipped],
        "findings": findings,
        "unknown": [
            {
                "policy_id": u.policy_id,
                "title": result.policies[u.policy_id].title,
                "severity": u.severity,
                "resource": u.resource_key,
                "resource_type": u.resource_type,
                "status": UNKNOWN_AT_PLAN,
                "fields": list(u.fields),
            }
            for u in _ordered_unknown(result)
        ],
    }
    return json.dumps(document, indent=2)


def render_sarif(result: CheckResult) -> str:
    """One run; every loaded policy is a rule, so code scanning can also close alerts that went away."""
    policies = sorted(result.policies.values(), key=lambda p: p.id)
    index = {p.id: i for i, p in enumerate(policies)}
    rules = [
        {
            "id": p.id,
            "name": p.module.package,
            "shortDescription": {"text": p.title},
            "fullDescription": {"text": p.description},
            "help": {"text": p.remediation},
            "defaultConfiguration": {"level": _SARIF_LEVEL[p.severity]},
            "properties": {
                "security-severity": _SECURITY_SEVERITY[p.severity],
                "tags": [p.category, *(f"{name}/{c}" for name, cs in p.frameworks.items() for c in cs)],
            },
        }
        for p in policies
    ]
    results = [
        _sarif_result(result.source, index, f.policy_id, f.resource_key, f.message, _SARIF_LEVEL[f.severity])
        for f in _ordered(result)
    ]
    # kind "open": the tool could not tell pass from fail; SARIF then requires level "none"
    results += [
        _sarif_result(result.source, index, u.policy_id, u.resource_key, _unknown_message(u), "none", "open")
        for u in _ordered_unknown(result)
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "CloudForge",
                        "version": version("cloudforge"),
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2)


def _sarif_result(
    source: str,
    index: dict[str, int],
    policy_id: str,
    resource: str,
    message: str,
    level: str,
    kind: str = "fail",
) -> dict[str, Any]:
    return {
        "ruleId": policy_id,
        "ruleIndex": index[policy_id],
        "kind": kind,
        "level": level,
        "message": {"text": f"{resource}: {message}"},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": source}, "region": {"startLine": 1}},
                "logicalLocations": [{"fullyQualifiedName": resource, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {"cloudforgeResource/v1": f"{policy_id}:{resource}"},
    }


RENDERERS = {"table": render_table, "json": render_json, "sarif": render_sarif}
