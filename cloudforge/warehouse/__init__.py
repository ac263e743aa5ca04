"""Warehouse access: where the PostgreSQL is, connections to it, the bulk COPY loader, and its locks."""

from cloudforge.warehouse.connection import connect, create_database, database_url, sqlalchemy_url, warehouse_url
from cloudforge.warehouse.loader import replace_slice, replace_slice_csv
from cloudforge.warehouse.locks import RunInProgress, lock_slice, run_lock

__all__ = [
    "RunInProgress",
    "connect",
    "create_database",
    "database_url",
    "lock_slice",
    "replace_slice",
    "replace_slice_csv",
    "run_lock",
    "sqlalchemy_url",
    "warehouse_url",
]
