"""Reconciliation: how each node a request created stands in the latest inventory sync.

The matching is the dbt mart ``marts.provisioned_resources`` (its request and node tags, else its id; see
``int_provisioning__nodes_inventoried``), built by each ``cloudforge run`` after the inventory sync: ``in
inventory``, ``tags changed``, ``missing`` (not found, or found terminated) or ``not inventoried`` (a type the
inventory does not collect, e.g. a route table). This reads it for the CLI and the page.
"""

from __future__ import annotations

import psycopg


def inventory_status(conn: psycopg.Connection, request_id: str) -> dict[str, str]:
    """Node id -> its inventory status as of the latest build; empty before the first build."""
    with conn.transaction():
        if not conn.execute("SELECT to_regclass('marts.provisioned_resources') IS NOT NULL").fetchone()[0]:
            return {}
        rows = conn.execute(
            "SELECT node_id, inventory_status FROM marts.provisioned_resources WHERE request_id = %s", [request_id]
        ).fetchall()
    return dict(rows)
