"""`dbt build` through the Dagster assets, as `cloudforge run` builds, for tests outside tests/dbt too."""

from __future__ import annotations

import pytest
from dagster import AssetSelection, ExecuteInProcessResult, materialize

from cloudforge.settings import Settings


def build(url: str, settings: Settings, selection: AssetSelection | None = None) -> ExecuteInProcessResult:
    """`dbt build` through the Dagster assets, with the settings' vars: the whole project, or a selection."""
    from pipelines.dbt import build_dbt_assets, dbt_resource, prepare_dbt_manifest

    prepare_dbt_manifest()  # the manifest must list every model of the project as it is now
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DBT_INDIRECT_SELECTION", "cautious")  # only the tests whose every parent is selected
        return materialize(build_dbt_assets(settings), selection=selection, resources={"dbt": dbt_resource(url)},
                           raise_on_error=False)
