"""The provisioning ledger in PostgreSQL: requests, plans, approvals, what each node created, the audit log.

Every write is its own short transaction on one connection shared (under a lock) by the apply's workers:
a node's row says 'creating' before the cloud is asked and 'created' with the physical id after, so a run
that dies in between leaves a row that tells the next run to look in the cloud before creating again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from cloudforge.warehouse.connection import connect
from cloudforge.warehouse.locks import lock_key


class ApplyInProgress(RuntimeError):
    """Another apply or destroy of the same request holds its lock."""


class NotApproved(RuntimeError):
    """The request cannot be applied: no plan, a changed plan, a blocked plan or missing approvals."""


@dataclass(frozen=True)
class NodeRow:
    node_id: str
    status: str
    physical_id: str | None
    attributes: dict[str, Any]
    message: str | None


@dataclass(frozen=True)
class RequestRow:
    request_id: str
    name: str
    blueprint: str
    status: str
    plan_hash: str | None
    approvals_needed: int
    approvers: tuple[str, ...]  # who approved the current plan
    message: str | None
    document: dict[str, Any]
    plan: dict[str, Any] | None


class Ledger:
    """The provisioning tables of one warehouse, for one process (thread-safe)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn, self._lock = conn, threading.Lock()

    @classmethod
    @contextmanager
    def open(cls, url: str) -> Iterator[Ledger]:
        with connect(url, autocommit=True) as conn:
            yield cls(conn)

    def _execute(self, query: str, params: Any = (), *also: tuple[str, Any]) -> list[tuple]:
        """Run ``query`` (and the ``also`` statements after it) in one transaction; the first one's rows."""
        with self._lock, self._conn.transaction():
            cursor = self._conn.execute(query, params)
            rows = cursor.fetchall() if cursor.description else []
            for statement, statement_params in also:
                self._conn.execute(statement, statement_params)
            return rows

    def event(self, request_id: str, event: str, node_id: str | None = None, detail: dict | None = None,
              api_request_id: str | None = None, actor: str | None = None) -> None:  # fmt: skip
        self._execute(*_event(request_id, event, node_id, detail, api_request_id, actor))

    # requests -----------------------------------------------------------------------------------------------
    def record_request(self, request_id: str, document: dict[str, Any], actor: str) -> None:
        """Insert the request, or update its document (a changed request needs a new plan and approval)."""
        self._execute(
            "INSERT INTO provisioning.requests (request_id, name, blueprint, account_id, region, requested_by,"
            " team, document) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (request_id) DO UPDATE SET"
            " blueprint = EXCLUDED.blueprint, requested_by = EXCLUDED.requested_by, team = EXCLUDED.team,"
            " document = EXCLUDED.document, updated_at = now()",
            [request_id, document["name"], document["blueprint"], document["account"], document["region"],
             document["requested_by"], document["tags"].get("team"), Jsonb(document)],
        )  # fmt: skip
        self.event(request_id, "requested", detail={"blueprint": document["blueprint"]}, actor=actor)

    def record_plan(self, request_id: str, plan_hash: str, plan: dict[str, Any], monthly: Any,
                    approvals_needed: int, blocked: str | None, actor: str) -> None:  # fmt: skip
        """The latest plan. The same plan again keeps the request's status; a different one needs approving
        (and a blocked one is blocked), whatever was approved or applied before."""
        status = "blocked" if blocked else "awaiting_approval"
        rows = self._execute(
            "UPDATE provisioning.requests SET plan_hash = %(hash)s, plan = %(plan)s, monthly_estimate = %(monthly)s,"
            " approvals_needed = %(needed)s, message = %(message)s, updated_at = now(),"
            " status = CASE WHEN plan_hash IS NOT DISTINCT FROM %(hash)s AND status NOT IN ('requested', 'blocked')"
            "   THEN status ELSE %(status)s END"
            " WHERE request_id = %(id)s RETURNING status",
            {"hash": plan_hash, "plan": Jsonb(plan), "monthly": monthly, "needed": approvals_needed,
             "message": blocked, "status": status, "id": request_id},
        )  # fmt: skip
        self.event(request_id, "planned", detail={"plan_hash": plan_hash, "status": rows[0][0]}, actor=actor)
        self.event(request_id, "gate", detail={"passed": not blocked, "findings": plan.get("findings", [])})

    def request(self, request_id: str) -> RequestRow | None:
        rows = self._execute(
            "SELECT r.request_id, r.name, r.blueprint, r.status, r.plan_hash, r.approvals_needed,"
            " array(SELECT approved_by FROM provisioning.approvals AS a WHERE a.request_id = r.request_id"
            "       AND a.plan_hash = r.plan_hash ORDER BY approved_at), r.message, r.document, r.plan"
            " FROM provisioning.requests AS r WHERE request_id = %s",
            [request_id],
        )
        return RequestRow(*rows[0][:6], tuple(rows[0][6]), *rows[0][7:]) if rows else None

    def approve(self, request_id: str, plan_hash: str, approver: str) -> RequestRow:
        """Record ``approver``'s approval of the plan with ``plan_hash``; NotApproved when that is not the
        request's current plan or the plan is blocked by the policy gate."""
        current = self.request(request_id)
        if current is None or current.plan_hash is None:
            raise NotApproved(f"request {request_id} has no plan: plan it first")
        if current.plan_hash != plan_hash:
            raise NotApproved(
                f"request {request_id}: the plan changed since it was shown (plan {plan_hash[:12]}, now "
                f"{current.plan_hash[:12]}); review the new plan and approve that one"
            )
        if current.status == "blocked":
            raise NotApproved(f"request {request_id} is blocked by the policy gate: {current.message}")
        self._execute(
            "INSERT INTO provisioning.approvals (request_id, plan_hash, approved_by) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [request_id, plan_hash, approver],
        )
        self.event(request_id, "approved", detail={"plan_hash": plan_hash}, actor=approver)
        self._execute(
            "UPDATE provisioning.requests AS r SET status = 'approved', updated_at = now()"
            " WHERE request_id = %s AND status = 'awaiting_approval' AND approvals_needed <= (SELECT count(*)"
            " FROM provisioning.approvals AS a WHERE a.request_id = r.request_id AND a.plan_hash = r.plan_hash)",
            [request_id],
        )
        return self.request(request_id)

    def set_status(self, request_id: str, status: str, message: str | None = None) -> None:
        self._execute(
            "UPDATE provisioning.requests SET status = %s, message = %s, updated_at = now() WHERE request_id = %s",
            [status, message, request_id],
        )
        self.event(request_id, status, detail={"message": message} if message else {})

    def requests_with_status(self, status: str) -> list[str]:
        rows = self._execute(
            "SELECT request_id FROM provisioning.requests WHERE status = %s ORDER BY created_at", [status]
        )
        return [row[0] for row in rows]

    # nodes --------------------------------------------------------------------------------------------------
    def nodes(self, request_id: str) -> dict[str, NodeRow]:
        rows = self._execute(
            "SELECT node_id, status, physical_id, attributes, message FROM provisioning.nodes"
            " WHERE request_id = %s",
            [request_id],
        )
        return {row[0]: NodeRow(*row) for row in rows}

    def node_status(self, request_id: str, node_id: str, address: str, resource_type: str, status: str,
                    physical_id: str | None = None, attributes: dict | None = None,
                    message: str | None = None, api_request_id: str | None = None) -> None:  # fmt: skip
        """Write the node's row (keeping its physical id and attributes unless given) and its event, at once."""
        detail = {"address": address, **({"physical_id": physical_id} if physical_id else {}),
                  **({"message": message} if message else {})}  # fmt: skip
        self._execute(
            "INSERT INTO provisioning.nodes AS n (request_id, node_id, address, resource_type, status,"
            " physical_id, attributes, message) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (request_id, node_id) DO UPDATE SET status = EXCLUDED.status,"
            " physical_id = coalesce(EXCLUDED.physical_id, n.physical_id),"
            " attributes = CASE WHEN EXCLUDED.attributes = '{}' THEN n.attributes ELSE EXCLUDED.attributes END,"
            " message = EXCLUDED.message, updated_at = now()",
            [request_id, node_id, address, resource_type, status, physical_id, Jsonb(attributes or {}), message],
            _event(request_id, status, node_id, detail, api_request_id, None),
        )  # fmt: skip


def _event(request_id: str, event: str, node_id: str | None, detail: dict | None, api_request_id: str | None,
           actor: str | None) -> tuple[str, list]:  # fmt: skip
    """The statement appending one event to the audit log."""
    return (
        (
            "INSERT INTO provisioning.events (request_id, node_id, event, detail, api_request_id, actor)"
            " VALUES (%s, %s, %s, %s, %s, %s)"
        ),
        [request_id, node_id, event, Jsonb(detail or {}), api_request_id, actor],
    )


@contextmanager
def request_lock(url: str, request_id: str, action: str) -> Iterator[None]:
    """Hold the request's advisory lock for an apply or destroy, or raise ApplyInProgress. The lock goes with
    its connection: a holder that dies (SIGKILL included) releases it."""
    with connect(url, autocommit=True, application_name=f"cloudforge provision {action}"[:63]) as conn:
        key = lock_key("provisioning", request_id)
        if not conn.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()[0]:
            raise ApplyInProgress(
                f"request {request_id} is being applied or destroyed by another process right now; this "
                f"{action} was not started. Run `cloudforge provision status` to follow it."
            )
        yield


def approved_requests(conn: psycopg.Connection) -> list[str]:
    """The id of every approved request; none before the provisioning schema exists."""
    with conn.transaction():
        if not conn.execute("SELECT to_regclass('provisioning.requests') IS NOT NULL").fetchone()[0]:
            return []
        rows = conn.execute(
            "SELECT request_id FROM provisioning.requests WHERE status = 'approved' ORDER BY updated_at"
        ).fetchall()
    return [row[0] for row in rows]
