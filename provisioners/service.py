"""A request's life: plan (graph, policy gate, estimate, budget), approve, apply or resume, destroy; every step
in the ledger. The CLI, the sensor's run and the page call these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import psycopg

from policies.check import CheckResult
from policies.config import PolicyConfig
from provisioners.apply import DEFAULT_RETRY, Outcome, Retry, apply, destroy
from provisioners.blueprints.blueprint import BLUEPRINT_DIR, load_blueprint
from provisioners.blueprints.request import Request
from provisioners.engines import Engine
from provisioners.graph import Graph, render
from provisioners.ledger import Ledger, NotApproved, RequestRow, request_lock
from provisioners.planning import Estimate, estimate, gate, plan_hash


@dataclass(frozen=True)
class Budget:
    budget_id: str
    monthly_amount: Decimal
    forecast: Decimal  # this month's forecast before the request

    def over_with(self, monthly: Decimal) -> bool:
        return self.forecast + monthly > self.monthly_amount


@dataclass(frozen=True)
class Plan:
    graph: Graph
    hash: str
    check: CheckResult
    estimates: list[Estimate]
    budget: Budget | None
    blocked: str | None  # why the gate refuses it

    @property
    def monthly(self) -> Decimal:
        return sum((e.monthly or Decimal(0) for e in self.estimates), Decimal(0))

    @property
    def approvals_needed(self) -> int:
        """Two distinct approvers when the request would push its team's forecast over budget."""
        return 2 if self.budget and self.budget.over_with(self.monthly) else 1

    def summary(self) -> dict:
        """What the ledger keeps of the plan and the page shows."""
        return {
            "order": self.graph.order(),
            "nodes": {n.id: {"address": n.address, "type": n.type, "depends_on": list(n.depends_on)}
                      for n in self.graph.nodes.values()},
            "findings": [{"policy": f.policy_id, "resource": f.resource_key, "severity": f.severity,
                          "message": f.message} for f in self.check.findings],
            "estimate": [{"node": e.node_id, "monthly": None if e.monthly is None else str(e.monthly),
                          "basis": e.basis} for e in self.estimates],
            "monthly": str(self.monthly),
            "budget": None if self.budget is None else {
                "budget_id": self.budget.budget_id, "monthly_amount": str(self.budget.monthly_amount),
                "forecast": str(self.budget.forecast), "over": self.budget.over_with(self.monthly)},
        }  # fmt: skip


def team_budget(conn: psycopg.Connection, team: str) -> Budget | None:
    """The team's budget this month from marts.budget_status; None without one (or before the first run)."""
    with conn.transaction():
        if not conn.execute("SELECT to_regclass('marts.budget_status') IS NOT NULL").fetchone()[0]:
            return None
        row = conn.execute(
            "SELECT budget_id, monthly_amount, forecast_cost FROM marts.budget_status WHERE budget_scope = 'team'"
            " AND budget_name = lower(%s) AND is_current_month",
            [team],
        ).fetchone()
    return Budget(*row) if row else None


def graph_of(request: Request, blueprint_dir: Path = BLUEPRINT_DIR) -> Graph:
    return render(load_blueprint(request.blueprint, blueprint_dir), request)


def plan_request(ledger: Ledger, request: Request, config: PolicyConfig, now: datetime, budget: Budget | None,
                 actor: str, blueprint_dir: Path = BLUEPRINT_DIR) -> Plan:  # fmt: skip
    """Render, gate and estimate the request and record the plan (SourceError for a bad blueprint or
    request: nothing is recorded then)."""
    graph = graph_of(request, blueprint_dir)
    check = gate(graph, config, now)
    blocked = None
    if not check.passed:
        blocked = f"the policy gate denied {len(check.findings)} finding(s): " + "; ".join(
            f"{f.policy_id} {f.resource_key}: {f.message}" for f in check.findings
        )
    plan = Plan(graph, plan_hash(graph), check, estimate(graph), budget, blocked)
    ledger.record_request(request.id, request.document(), actor)
    ledger.record_plan(
        request.id, plan.hash, plan.summary(), plan.monthly, plan.approvals_needed, blocked, actor
    )
    return plan


def approve_request(ledger: Ledger, request: Request, approver: str,
                    blueprint_dir: Path = BLUEPRINT_DIR) -> RequestRow:  # fmt: skip
    """Record ``approver``'s approval of the plan the request renders to now (the CLI's file, the page's stored
    request): NotApproved when that is not the recorded plan, SourceError when it no longer renders."""
    return ledger.approve(request.id, plan_hash(graph_of(request, blueprint_dir)), approver)


def ready_to_apply(ledger: Ledger, graph: Graph) -> None:
    """NotApproved unless the request's recorded plan is this graph's and it is approved (or was being
    applied: a resume)."""
    row = ledger.request(graph.request.id)
    if row is None or row.plan_hash is None:
        raise NotApproved(f"request {graph.request.id} was never planned: plan it first")
    if row.plan_hash != plan_hash(graph):
        raise NotApproved(
            f"request {graph.request.id}: the blueprint or parameters changed since the plan that was approved; "
            "plan it again and have the new plan approved"
        )
    if (
        row.status not in ("approved", "applying", "failed", "applied")
        or len(row.approvers) < row.approvals_needed
    ):
        needed = f"{row.approvals_needed} approval(s), has {len(row.approvers)}"
        raise NotApproved(
            f"request {graph.request.id} is {row.status} ({needed}): {row.message or 'approve it'}"
        )


def apply_request(url: str, ledger: Ledger, graph: Graph, engine: Engine, workers: int,
                  retry: Retry = DEFAULT_RETRY) -> Outcome:  # fmt: skip
    """Apply (or resume) the approved request under its lock; ApplyInProgress when another process is at
    it, NotApproved when it is not ready."""
    return _locked(url, ledger, graph, "apply", lambda: apply(graph, engine, ledger, workers, retry))


def destroy_request(url: str, ledger: Ledger, graph: Graph, engine: Engine, workers: int,
                    retry: Retry = DEFAULT_RETRY) -> Outcome:  # fmt: skip
    """Delete what the request created, dependents first, under its lock."""
    return _locked(url, ledger, graph, "destroy", lambda: destroy(graph, engine, ledger, workers, retry))


_STATUSES = {"apply": ("applying", "applied"), "destroy": ("destroying", "destroyed")}


def _locked(url: str, ledger: Ledger, graph: Graph, action: str, walk: Callable[[], Outcome]) -> Outcome:
    request_id = graph.request.id
    running, finished = _STATUSES[action]
    with request_lock(url, request_id, action):
        if action == "apply":
            ready_to_apply(ledger, graph)
        ledger.set_status(request_id, running)
        outcome = walk()
        if outcome.ok:
            ledger.set_status(request_id, finished)
        else:
            node, why = next(iter(outcome.failed.items()))
            ledger.set_status(request_id, "failed", f"{action}: node {node} failed: {why}")
    return outcome


def plan_stored_requests(ledger: Ledger, conn: psycopg.Connection, config: PolicyConfig, now: datetime,
                         required_tags: list[str]) -> list[str]:  # fmt: skip
    """Plan every request inserted as a row of provisioning.requests (status 'requested'); one that is not a
    valid request is blocked with the problems. The ids planned."""
    from provisioners.blueprints.request import request_from_document
    from provisioners.blueprints.yaml_lines import SourceError

    planned = []
    for request_id in ledger.requests_with_status("requested"):
        row = ledger.request(request_id)
        try:
            request = request_from_document(
                row.document, f"provisioning.requests {request_id}", required_tags
            )
            if request.id != request_id:
                raise SourceError(
                    [
                        (
                            f"provisioning.requests {request_id}",
                            1,
                            f"request_id must be {request.id} (from account, region and name)",
                        )
                    ]
                )
            plan_request(ledger, request, config, now, team_budget(conn, request.tags.get("team", "")),
                         request.requested_by)  # fmt: skip
        except SourceError as error:
            ledger.set_status(request_id, "blocked", str(error))
            continue
        planned.append(request_id)
    return planned
