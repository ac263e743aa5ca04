"""Warehouse access: where the PostgreSQL is, connections to it, its schema (migrations), the bulk COPY
loader, and its locks."""

from cloudforge.warehouse.connection import (
    connect,
    create_database,
    database_url,
    sqlalchemy_url,
    warehouse_url,
)
from cloudforge.warehouse.loader import (
    replace_slice,
    replace_slice_csv,
    replace_slices,
    replace_slices_text,
    text_field,
)
from cloudforge.warehouse.locks import RunInProgress, lock_slice, run_lock
from cloudforge.warehouse.migrations import MigrationError, ensure_schema

__all__ = [
    "MigrationError",
    "RunInProgress",
    "connect",
    "create_database",
    "database_url",
    "ensure_schema",
    "lock_slice",
    "replace_slice",
    "replace_slice_csv",
    "replace_slices",
    "replace_slices_text",
    "run_lock",
    "sqlalchemy_url",
    "text_field",
    "warehouse_url",
]
