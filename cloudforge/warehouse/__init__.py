"""Warehouse access: where the PostgreSQL is, connections to it, and the bulk COPY loader."""

from cloudforge.warehouse.connection import connect, database_url, sqlalchemy_url
from cloudforge.warehouse.loader import replace_slice

__all__ = ["connect", "database_url", "replace_slice", "sqlalchemy_url"]
