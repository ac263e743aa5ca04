"""One policy run over the inventory: read raw_aws.resources, evaluate the library, record the findings.

The run's ``now`` is both what policies judge ages against and the timestamp of every lifecycle change,
so a run is repeatable: the same inventory, waivers and ``now`` give the same rows.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from cloudforge.alerts import enqueue_alerts
from cloudforge.settings import PolicyWaiver
from cloudforge.warehouse import ensure_schema, lock_slice
from policies.evaluate import Evaluator, Finding
from policies.runtime.alerts import finding_alerts
from policies.runtime.inventory import InventoryDocuments, MappingError
from policies.runtime.lifecycle import FindingRow, compare
from policies.runtime.store import (
    current_findings,
    store_catalogue,
    store_changes,
    store_mapping_errors,
)
from policies.runtime.waivers import WaiverBook, load_waivers, store_config_waivers

RECORD_RUN = """
    INSERT INTO raw_policies.evaluation_runs (
        run_id, evaluated_at, policies, resources, evaluations, mapping_errors, open_findings,
        waived_findings, new_findings, resolved_findings, duration_seconds)
    VALUES (%(run_id)s, %(evaluated_at)s, %(policies)s, %(resources)s, %(evaluations)s, %(mapping_errors)s,
            %(open_findings)s, %(waived_findings)s, %(new_findings)s, %(resolved_findings)s,
            %(duration_seconds)s)
"""


@dataclass(frozen=True)
class EvaluationReport:
    """What a run did. ``evaluations`` counts (resource, policy that judges its type) pairs."""

    run_id: str
    evaluated_at: datetime
    policies: int
    resources: int
    evaluations: int
    open_findings: int
    waived_findings: int
    new_findings: int
    resolved_findings: int
    alerts_enqueued: int
    mapping_errors: list[MappingError] = field(default_factory=list)
    unknown_waiver_policies: list[str] = field(default_factory=list)  # waivers naming no loaded policy
    duration_seconds: float = 0.0


def evaluate_inventory(
    conn: psycopg.Connection,
    evaluator: Evaluator,
    *,
    config_waivers: Sequence[PolicyWaiver] = (),
    now: datetime,
    alert_link: str | None = None,
) -> EvaluationReport:
    """Evaluate every policy over raw_aws.resources and write the run to raw_policies (one transaction).

    ``conn`` should be in autocommit mode (the read and the write are each their own transaction).
    ``config_waivers`` replace the waivers from settings; rows SQL users added stay. New critical and high
    findings, and those resolved, go to the alerts outbox with ``alert_link`` (the Compliance page).
    """
    clock = time.perf_counter()
    run_id = str(uuid.uuid4())
    ensure_schema(conn)
    store_config_waivers(conn, config_waivers)
    waivers = load_waivers(conn)
    book = WaiverBook(waivers, now)

    documents = InventoryDocuments(conn)
    findings = evaluator.evaluate(documents, now)
    seen = [_row(finding, book) for finding in findings]
    waived = sum(row.status == "waived" for row in seen)

    with conn.transaction(), conn.cursor() as cur:
        # Runs write one at a time, each comparing with what the one before it wrote.
        lock_slice(cur, ("raw_policies", "findings"), {})  # the whole table is one slice
        changes = compare(current_findings(cur), seen)
        store_catalogue(cur, evaluator.library.policies, now)
        store_mapping_errors(cur, documents.errors, run_id, now)
        resolved = store_changes(cur, changes, run_id, now)
        alerts = finding_alerts(changes.opened, resolved, evaluator.policies, alert_link)
        enqueued = enqueue_alerts(conn, alerts, now) if alerts else 0
        report = EvaluationReport(
            run_id=run_id,
            evaluated_at=now,
            policies=len(evaluator.policies),
            resources=documents.per_type.total(),
            evaluations=sum(n * _judging(evaluator, kind) for kind, n in documents.per_type.items()),
            open_findings=len(seen) - waived,
            waived_findings=waived,
            new_findings=len(changes.opened),
            resolved_findings=len(resolved),
            alerts_enqueued=enqueued,
            mapping_errors=documents.errors,
            unknown_waiver_policies=sorted({w.policy_id for w in waivers} - evaluator.policies.keys()),
            duration_seconds=time.perf_counter() - clock,
        )
        cur.execute(RECORD_RUN, {**vars(report), "mapping_errors": len(report.mapping_errors)})
    return report


def _judging(evaluator: Evaluator, resource_type: str) -> int:
    """How many policies judge documents of this type."""
    return sum(resource_type in policy.resource_types for policy in evaluator.library.policies)


def _row(finding: Finding, book: WaiverBook) -> FindingRow:
    """The finding as this run saw it: waived when an active waiver matches it, else open."""
    _, account_id, region, resource_type, resource_id = finding.resource_key.split("/", 4)
    waiver = book.waiver_for(finding.policy_id, finding.resource_key)
    return FindingRow(
        f"{finding.policy_id}:{finding.resource_key}",
        finding.policy_id,
        finding.resource_key,
        account_id,
        region,
        resource_type,
        resource_id,
        finding.severity,
        finding.message,
        "open" if waiver is None else "waived",
        None if waiver is None else waiver.waiver_id,
    )
