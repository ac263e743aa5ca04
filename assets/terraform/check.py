"""`cloudforge drift check`: one state (a file, a directory or an S3 prefix) against the current inventory.

The state is read and scrubbed as the ingestion reads it (``parse_state``), the inventory's resources come from
``marts.drift_resources`` (their ``live_attributes``, put in the declared shape by the dbt models), and both are
classified by ``cloudforge.terraform.drift.classify`` with the settings' ignore rules. The live side is limited
to the accounts the state declares resources in: what runs there and the state does not declare is unmanaged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import psycopg
from botocore.exceptions import BotoCoreError, ClientError

from assets.terraform.sources import read_state_file, state_files
from assets.terraform.state import StateError, parse_state
from cloudforge.terraform.drift import Declared, DriftItem, Live, classify, counts, ignore_rules

LIVE = """
    SELECT account_id, region, resource_type, resource_id, live_attributes
    FROM marts.drift_resources
    WHERE live_attributes IS NOT NULL AND account_id = ANY(%s)
"""


class BadInput(ValueError):
    """The state cannot be read, or the warehouse holds no drift marts yet; the message says which and where."""


def read_declared(uri: str, open_s3: Callable[[], Any]) -> list[Declared]:
    """Every mapped resource the state files at ``uri`` declare; BadInput naming the file that cannot be read."""
    try:
        s3 = open_s3()
        uris = state_files(uri, s3)
    except (OSError, BotoCoreError, ClientError, ValueError) as error:
        raise BadInput(f"{uri}: cannot list state files: {error}") from None
    if not uris:
        raise BadInput(f"{uri}: no *.tfstate file found")
    declared = []
    for file_uri in uris:
        try:
            state = parse_state(file_uri, read_state_file(file_uri, s3))
        except StateError as error:
            raise BadInput(str(error)) from None
        except (OSError, BotoCoreError, ClientError) as error:
            raise BadInput(f"{file_uri}: cannot read: {type(error).__name__}") from None
        declared += [
            Declared(file_uri, r.address, r.type, r.inventory_type, r.resource_id, r.account_id, r.region, r.attributes)
            for r in state.resources if r.mode == "managed" and r.inventory_type and r.resource_id
        ]
    return declared


def read_live(conn: psycopg.Connection, accounts: list[str]) -> list[Live]:
    try:
        rows = conn.execute(LIVE, [accounts]).fetchall()
    except psycopg.errors.UndefinedTable:
        raise BadInput("the warehouse has no marts.drift_resources yet: run `cloudforge run` first") from None
    return [Live(*row) for row in rows]


def check_declared(declared: list[Declared], conn: psycopg.Connection, ignore: list[Any]) -> list[DriftItem]:
    """The declared resources classified against the live ones of their accounts, by the settings' ignore rules."""
    accounts = sorted({d.account_id for d in declared if d.account_id})
    return classify(declared, read_live(conn, accounts), ignore_rules(ignore))


def report(items: list[DriftItem]) -> dict[str, Any]:
    """The JSON report: counts per category (ignored apart) and every item with its category."""
    return {"counts": counts(items), "items": [asdict(item) for item in items]}


def in_sync(items: list[DriftItem]) -> bool:
    return all(item.category == "managed" or item.is_ignored for item in items)
