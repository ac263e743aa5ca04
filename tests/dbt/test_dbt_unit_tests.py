"""The dbt project's YAML unit tests. Production builds leave them out (pipelines.dbt.PRODUCTION_EXCLUDES: they test
the models' SQL on fixed inputs, not the warehouse's data), so every one of them runs here, with the vars the
estate was built with, on its database (a unit test reads its model's parents' columns from the warehouse)."""

import json

import dbt_raw_billing
from dbt_raw_inventory import REQUIRED_TAGS

from cloudforge.settings import load_settings
from pipelines.dbt import dbt_resource, dbt_vars


def test_every_unit_test_of_the_project_runs_and_passes(estate_build):
    settings = load_settings(tags={"required": REQUIRED_TAGS}, costs=dbt_raw_billing.COSTS)
    args = ["test", "--resource-type", "unit_test", "--vars", json.dumps(dbt_vars(settings))]

    invocation = dbt_resource(estate_build.url).cli(args, raise_on_error=False)
    invocation.wait()

    declared = set(invocation.get_artifact("manifest.json")["unit_tests"])
    results = {r["unique_id"]: r["status"] for r in invocation.get_artifact("run_results.json")["results"]}
    assert results == dict.fromkeys(declared, "pass")
    assert "unit_test.cloudforge.cost_daily.test_known_resources_take_inventory_tags_others_their_own" in results
