"""Reconciliation: every node a request created, matched to the inventory's latest sync.

A node of a type the inventory collects (``cloudforge/terraform/types.py``) is looked up in ``raw_aws.resources``
by account, region, inventory type and the id the inventory uses; found, its tags must still name the request
and node (``cloudforge:request``, ``cloudforge:node``), read through the same normalised documents the
policies judge. Outcomes: ``in inventory``, ``missing`` (provisioned, not found by the latest sync, or found
terminated),
``tags changed``, ``not inventoried`` (a type the inventory does not collect, e.g. a route table).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from cloudforge.terraform.types import TERRAFORM_TYPES
from policies.documents import from_inventory
from provisioners.graph import NODE_TAG, REQUEST_TAG


@dataclass(frozen=True)
class Match:
    node_id: str
    address: str
    inventory_type: str | None
    resource_id: str | None
    outcome: str  # in inventory, missing, tags changed, not inventoried


def reconcile(conn: psycopg.Connection, request_id: str) -> list[Match]:
    """How each created node of ``request_id`` stands in the inventory, in node order."""
    with conn.transaction():
        request = conn.execute(
            "SELECT account_id, region FROM provisioning.requests WHERE request_id = %s", [request_id]
        ).fetchone()
        nodes = conn.execute(
            "SELECT node_id, address, resource_type, attributes FROM provisioning.nodes"
            " WHERE request_id = %s AND status = 'created' ORDER BY node_id",
            [request_id],
        ).fetchall()
        matches = []
        for node_id, address, terraform_type, attributes in nodes:
            kind = TERRAFORM_TYPES.get(terraform_type)
            if kind is None:
                matches.append(Match(node_id, address, None, None, "not inventoried"))
                continue
            resource_id = attributes.get(kind.id_attribute)
            row = conn.execute(
                "SELECT document FROM raw_aws.resources WHERE account_id = %s AND region = %s"
                " AND resource_type = %s AND resource_id = %s",
                [*request, kind.inventory_type, resource_id],
            ).fetchone()
            outcome = _outcome(row, kind.inventory_type, request_id, node_id)
            matches.append(Match(node_id, address, kind.inventory_type, resource_id, outcome))
    return matches


def _outcome(row: tuple | None, inventory_type: str, request_id: str, node_id: str) -> str:
    if row is None:
        return "missing"
    document = from_inventory(inventory_type, row[0])
    if document.get("state") in ("terminated", "shutting-down", "deleted", "deleting"):
        return "missing"  # still listed by the API for a while after it went
    tags = document["tags"]
    return (
        "in inventory"
        if (tags.get(REQUEST_TAG), tags.get(NODE_TAG)) == (request_id, node_id)
        else "tags changed"
    )
