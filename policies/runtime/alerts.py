"""Findings worth waking someone for: critical and high ones that open, and the same ones when resolved.

The outbox records state changes per dedup_key, so however many runs see a finding it triggers once and
resolves once; a finding that reopens after it was resolved triggers again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cloudforge.alerts import Alert
from policies.library import Policy
from policies.runtime.lifecycle import FindingRow

ALERTING_SEVERITIES = ("critical", "high")
SOURCE = "policy_finding"


def dedup_key(finding: FindingRow) -> str:
    return f"policy:{finding.policy_id}:{finding.resource_key}"


def finding_alerts(
    opened: Iterable[FindingRow],
    resolved: Iterable[FindingRow],
    policies: Mapping[str, Policy],
    link: str | None,
) -> list[Alert]:
    """A trigger per opened finding and a resolve per resolved one, critical and high only."""
    alerts = []
    for action, findings in (("trigger", opened), ("resolve", resolved)):
        for finding in findings:
            if finding.severity in ALERTING_SEVERITIES:
                alerts.append(_alert(finding, action, policies.get(finding.policy_id), link))
    return alerts


def _alert(finding: FindingRow, action: str, policy: Policy | None, link: str | None) -> Alert:
    title = policy.title if policy else finding.policy_id  # a policy removed from the library has no title
    where = (
        f"{finding.resource_type} {finding.resource_id} in account {finding.account_id} ({finding.region})"
    )
    if action == "trigger":
        summary = f"{finding.policy_id} {title}: {where}: {finding.message}."
        if policy:
            summary += f" Remediation: {policy.remediation}"
    else:
        summary = f"{finding.policy_id} {title}: {where} no longer fails the policy."
    return Alert(
        dedup_key=dedup_key(finding),
        source=SOURCE,
        severity=finding.severity,
        title=f"{'Resolved: ' if action == 'resolve' else ''}{title}: {finding.resource_id}",
        summary=summary,
        details={
            "finding_id": finding.finding_id,
            "policy_id": finding.policy_id,
            "resource_key": finding.resource_key,
            "account_id": finding.account_id,
            "region": finding.region,
            "resource_type": finding.resource_type,
            "message": finding.message,
            "frameworks": {k: list(v) for k, v in policy.frameworks.items()} if policy else {},
        },
        link=link,
        action=action,
    )
