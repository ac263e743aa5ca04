"""Reading the inventory as documents, the next batch fetched by a reader thread while this one is mapped."""

from __future__ import annotations

from policy_inventory import INVENTORY, key_of

from cloudforge.warehouse import connect
from policies.documents import from_inventory
from policies.runtime.inventory import InventoryDocuments


def test_batches_of_one_yield_every_document_once_as_one_batch_does(policy_url):
    expected = {key_of(row): (row[2], from_inventory(row[2], row[4])) for row in INVENTORY}
    with connect(policy_url, autocommit=True) as conn:
        one_by_one = InventoryDocuments(conn, fetch_size=1)
        read = [(key, kind, document) for key, kind, document in one_by_one]
        whole = list(InventoryDocuments(conn, fetch_size=len(INVENTORY)))
    assert {key: (kind, document) for key, kind, document in read} == expected
    assert len(read) == len(INVENTORY)
    assert read == whole
    assert one_by_one.errors == []
    assert one_by_one.per_type == {"s3_bucket": 2, "security_group": 1, "rds_instance": 1}


def test_stopping_early_ends_the_read_and_leaves_the_connection_usable(policy_url):
    with connect(policy_url, autocommit=True) as conn:
        documents = iter(InventoryDocuments(conn, fetch_size=1))
        next(documents)
        documents.close()  # the reader thread's fetch ahead is awaited, the cursor and transaction closed
        assert conn.info.transaction_status.name == "IDLE"
        assert conn.execute("SELECT count(*) FROM raw_aws.resources").fetchone() == (len(INVENTORY),)
