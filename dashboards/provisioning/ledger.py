"""The Provisioning page's way to the ledger (schema ``provisioning``): it reads requests, approvals and events,
and approves and plans requests through provisioners/service.py, the code path of `cloudforge provision`.

Unlike the marts, the ledger is written here, so this goes through the warehouse's writer URL (settings
database_url, the embedded PostgreSQL by default), never shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import psycopg.errors
import yaml

from cloudforge.warehouse import connect, database_url
from dashboards.connection import WarehouseNotReady, settings
from policies.config import policy_config
from provisioners.blueprints.request import Request, request_from_document
from provisioners.ledger import Ledger, RequestRow
from provisioners.reconcile import inventory_status
from provisioners.service import Plan, approve_request, plan_request, team_budget

NO_LEDGER = "The warehouse has no provisioning ledger yet. Run `cloudforge run` (or `cloudforge provision plan`) first."


def _url() -> str:
    return database_url(settings())


def _frame(statement: str, params: list[Any]) -> pd.DataFrame:
    try:
        with connect(_url(), autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return pd.DataFrame(cursor.fetchall(), columns=[column.name for column in cursor.description])
    except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
        raise WarehouseNotReady(NO_LEDGER) from None


def requests() -> pd.DataFrame:
    """Every request, the latest first, with how many of the approvals its current plan needs it has."""
    return _frame(
        "SELECT r.request_id, r.name, r.blueprint, r.team, r.account_id, r.region, r.status, r.monthly_estimate,"
        " (SELECT count(*) FROM provisioning.approvals AS a WHERE a.request_id = r.request_id"
        "  AND a.plan_hash = r.plan_hash) AS approvals, r.approvals_needed, r.requested_by, r.updated_at"
        " FROM provisioning.requests AS r ORDER BY r.updated_at DESC, r.request_id",
        [],
    )


def approvals(request_id: str) -> pd.DataFrame:
    return _frame(
        "SELECT approved_by, approved_at, plan_hash FROM provisioning.approvals WHERE request_id = %s"
        " ORDER BY approved_at",
        [request_id],
    )


def events(request_id: str) -> pd.DataFrame:
    """The request's audit log, in order."""
    return _frame(
        "SELECT at, event, node_id, actor, api_request_id, detail::text AS detail FROM provisioning.events"
        " WHERE request_id = %s ORDER BY event_id",
        [request_id],
    )


def request(request_id: str) -> RequestRow | None:
    with Ledger.open(_url()) as ledger:
        return ledger.request(request_id)


def nodes(request_id: str) -> pd.DataFrame:
    """What the apply created for each node, and how the latest build found it in the inventory."""
    frame = _frame(
        "SELECT node_id, address, resource_type, status, physical_id, message FROM provisioning.nodes"
        " WHERE request_id = %s ORDER BY node_id",
        [request_id],
    )
    with connect(_url(), autocommit=True) as conn:
        found = inventory_status(conn, request_id)
    return frame.assign(inventory=frame["node_id"].map(found))


def stored_request(row: RequestRow) -> Request:
    """The request as recorded, read again the way the sensor reads inserted rows."""
    return request_from_document(row.document, f"provisioning.requests {row.request_id}", settings().tags.required)


def approve(row: RequestRow, approver: str) -> RequestRow:
    """Approve the request's current plan as ``approver`` (NotApproved, SourceError as the CLI's approve)."""
    with Ledger.open(_url()) as ledger:
        return approve_request(ledger, stored_request(row), approver)


def plan_new_request(document: dict[str, Any], parameters_yaml: str) -> Plan:
    """Plan a request given on the page (blueprint, parameters as YAML, who asks): SourceError naming the
    problem, nothing recorded then."""
    parameters = yaml.safe_load(parameters_yaml) or {}
    configured = settings()
    new = request_from_document({**document, "parameters": parameters}, "the new request form",
                                configured.tags.required)  # fmt: skip
    url = _url()
    with connect(url, autocommit=True) as conn:
        budget = team_budget(conn, new.tags.get("team", ""))
    with Ledger.open(url) as ledger:
        return plan_request(ledger, new, policy_config(configured), configured.clock.now(), budget,
                            new.requested_by)  # fmt: skip
