"""The inventory as policy documents: raw_aws.resources read in batches and normalised one row at a time.

Rows are streamed through a server-side cursor, so memory does not grow with the estate; a row that cannot
be normalised is set aside as a ``MappingError`` (it is reported, never silently dropped). A reader thread
fetches the next batch while the caller maps and evaluates this one: PostgreSQL's part of the read (the
jsonb documents written out as text) then overlaps the Python work instead of adding to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import orjson
import psycopg

from policies.documents import DocumentError, from_inventory
from policies.evaluate import Document

FETCH_SIZE = 5000
# The document as text for orjson: 2-4x faster than psycopg's jsonb loader (json.loads) on these documents.
SELECT = """
    SELECT account_id, region, resource_type, resource_id, document::text
      FROM raw_aws.resources
"""


@dataclass(frozen=True)
class MappingError:
    resource_key: str
    account_id: str
    region: str
    resource_type: str
    resource_id: str
    error: str


def resource_key(account_id: str, region: str, resource_type: str, resource_id: str) -> str:
    """The key marts.resources gives the resource: 'aws/<account>/<region>/<type>/<id>'."""
    return f"aws/{account_id}/{region}/{resource_type}/{resource_id}"


class InventoryDocuments:
    """Iterate once over ``(resource key, type, document)``; afterwards ``errors`` holds the rows that could
    not be mapped and ``per_type`` how many documents of each type were produced."""

    def __init__(self, conn: psycopg.Connection, fetch_size: int = FETCH_SIZE) -> None:
        self._conn = conn
        self._fetch_size = fetch_size
        self.errors: list[MappingError] = []
        self.per_type: Counter[str] = Counter()

    def __iter__(self) -> Iterator[Document]:
        with (
            self._conn.transaction(),
            self._conn.cursor(name="policy_inventory") as cursor,
            ThreadPoolExecutor(1, "policy-inventory") as reader,
        ):
            cursor.execute(SELECT)
            # fetchmany builds a batch of rows in C; iterating the cursor costs a Python call per row
            ahead = reader.submit(cursor.fetchmany, self._fetch_size)
            while rows := ahead.result():
                ahead = reader.submit(cursor.fetchmany, self._fetch_size)
                for account_id, region, resource_type, resource_id, text in rows:
                    key = resource_key(account_id, region, resource_type, resource_id)
                    try:
                        document = from_inventory(resource_type, orjson.loads(text))
                    except DocumentError as error:
                        self.errors.append(
                            MappingError(key, account_id, region, resource_type, resource_id, str(error))
                        )
                        continue
                    self.per_type[resource_type] += 1
                    yield key, resource_type, document
