"""The dbt manifest, parsed once per test session."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def current_manifest() -> Path:
    """`dbt parse`, so the manifest lists every model of the project as it is now; once per session, since the
    project does not change while the tests run (each parse starts dbt: seconds that add up)."""
    from pipelines.dbt import prepare_dbt_manifest

    return prepare_dbt_manifest()
