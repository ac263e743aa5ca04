"""Dagster resources shared by ingestion assets."""

from pathlib import Path

import psycopg
from dagster import ConfigurableResource

from cloudforge.warehouse import connect, warehouse_url


class WarehouseResource(ConfigurableResource):
    """The PostgreSQL warehouse: ``database_url`` (pass an ``EnvVar`` to keep it out of config), else the
    embedded server of ``state_dir``. pipelines/definitions.py builds it from the cloudforge settings."""

    database_url: str | None = None
    state_dir: str | None = None

    def url(self) -> str:
        if not (self.database_url or self.state_dir):
            raise ValueError("WarehouseResource needs a database_url or the state_dir of the embedded server")
        return warehouse_url(self.database_url, Path(self.state_dir or "."))

    def connect(self) -> psycopg.Connection:
        """An autocommit connection (``with`` closes it); use ``conn.transaction()`` for atomic work."""
        return connect(self.url(), autocommit=True)
