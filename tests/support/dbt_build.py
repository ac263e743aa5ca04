"""`dbt build` through the Dagster assets, as `cloudforge run` builds, for tests outside tests/dbt too."""

from __future__ import annotations

import pytest
from dagster import AssetSelection, ExecuteInProcessResult, materialize

from cloudforge.settings import Settings
from support.dbt_manifest import current_manifest


def build(url: str, settings: Settings, selection: AssetSelection | None = None) -> ExecuteInProcessResult:
    """`dbt build` through the Dagster assets, with the settings' vars: the whole project, or a selection."""
    from pipelines.dbt import build_dbt_assets, dbt_resource

    current_manifest()  # the manifest lists every model of the project as it is now (parsed once a session)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DBT_INDIRECT_SELECTION", "cautious")  # only the tests whose every parent is selected
        return materialize(build_dbt_assets(settings), selection=selection, resources={"dbt": dbt_resource(url)},
                           raise_on_error=False)
