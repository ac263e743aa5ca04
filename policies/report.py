"""A plan check as a readable table, as JSON, or as SARIF 2.1.0 for code-scanning UIs."""

from __future__ import annotations

import json
from collections import Counter
from importlib.metadata import version
from typing import Any

from policies.check import CheckResult
from policies.evaluate import Finding
from policies.library import SEVERITIES

_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning reads properties.security-severity: >= 9 critical, >= 7 high, >= 4 medium.
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _ordered(result: CheckResult) -> list[Finding]:
    return sorted(result.findings, key=lambda f: (SEVERITIES.index(f.severity), f.policy_id, f.resource_key))


def _summary(result: CheckResult) -> str:
    counts = Counter(f.severity for f in result.findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES)
    verdict = (
        "PASSED: no findings" if result.passed else f"FAILED: {len(result.findings)} findings ({by_severity})"
    )
    line = f"{verdict}; {len(result.evaluated)} resources evaluated"
    if result.skipped:
        types = ", ".join(sorted({t for _, t in result.skipped}))
        line += f", {len(result.skipped)} not covered by any policy ({types})"
    return line


def render_table(result: CheckResult) -> str:
    rows = [("SEVERITY", "POLICY", "RESOURCE", "MESSAGE")]
    rows += [(f.severity, f.policy_id, f.resource_key, f.message) for f in _ordered(result)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"Policy check of {result.source}", ""]
    if not result.passed:
        lines += [
            "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]])
            for row in rows
        ]
        lines += ["", "Remediation:"]
        for policy_id in sorted({f.policy_id for f in result.findings}):
            policy = result.policies[policy_id]
            lines += [f"  {policy_id}  {policy.title}", f"      {policy.remediation}"]
        lines.append("")
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
    results: list[dict[str, Any]] = [
        {
            "ruleId": f.policy_id,
            "ruleIndex": index[f.policy_id],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f"{f.resource_key}: {f.message}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": result.source},
                        "region": {"startLine": 1},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.resource_key, "kind": "resource"}],
                }
            ],
            "partialFingerprints": {"cloudforgeResource/v1": f"{f.policy_id}:{f.resource_key}"},
        }
        for f in _ordered(result)
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


RENDERERS = {"table": render_table, "json": render_json, "sarif": render_sarif}
