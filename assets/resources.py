"""Dagster resources shared by ingestion assets."""

import psycopg
from dagster import ConfigurableResource

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect, database_url


class WarehouseResource(ConfigurableResource):
    """The PostgreSQL warehouse. Leave ``database_url`` unset to use the one cloudforge settings name
    (``CLOUDFORGE_DATABASE_URL``, else the embedded server); pass an ``EnvVar`` to keep it out of config."""

    database_url: str | None = None

    def url(self) -> str:
        return self.database_url or database_url(load_settings())

    def connect(self) -> psycopg.Connection:
        """An autocommit connection (``with`` closes it); use ``conn.transaction()`` for atomic work."""
        return connect(self.url(), autocommit=True)
