"""Warehouse access: where the PostgreSQL is, connections to it, and the bulk COPY loader."""

from cloudforge.warehouse.connection import connect, create_database, database_url, sqlalchemy_url, warehouse_url
from cloudforge.warehouse.loader import replace_slice, replace_slice_csv

__all__ = ["connect", "create_database", "database_url", "replace_slice", "replace_slice_csv", "sqlalchemy_url",
           "warehouse_url"]
