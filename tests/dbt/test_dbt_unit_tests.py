"""The dbt project's YAML unit tests. Production builds leave them out (pipelines.dbt.build_command:
they test the models' SQL on fixed inputs, not the warehouse's data), so every one of them runs here.

A unit test reads its inputs' columns from the warehouse, so their relations must exist: the project (seeds,
snapshots, models) is built over empty raw tables first (quick: no rows; dbt's ``--empty`` does not fit every
model's SQL), in a database of the test's own. The shared estate's relations are rebuilt and dropped by other
tests (an upgrade drops a cost table with its dependent views), so there the test would depend on the order
tests run in."""

import json

import dbt_raw_billing
from dbt_raw_inventory import REQUIRED_TAGS, load_raw_inventory

from cloudforge.settings import load_settings
from cloudforge.warehouse import create_database
from pipelines.dbt import dbt_resource, dbt_vars


def test_every_unit_test_of_the_project_runs_and_passes(warehouse_url):
    url = create_database(warehouse_url, "dbt_unit_tests")
    load_raw_inventory(url, resources=[])  # the raw tables, empty: the parents need their columns only
    settings = load_settings(tags={"required": REQUIRED_TAGS}, costs=dbt_raw_billing.COSTS)
    variables = ["--vars", json.dumps(dbt_vars(settings))]
    dbt = dbt_resource(url)
    parents = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    dbt.cli([*parents, *variables]).wait()

    invocation = dbt.cli(["test", "--resource-type", "unit_test", *variables], raise_on_error=False)
    invocation.wait()

    declared = set(invocation.get_artifact("manifest.json")["unit_tests"])
    run_results = invocation.get_artifact("run_results.json")["results"]
    results = {r["unique_id"]: (r["status"], r["message"]) for r in run_results}
    assert {test: status for test, (status, _) in results.items()} == dict.fromkeys(declared, "pass"), {
        test: message for test, (status, message) in results.items() if status != "pass"
    }
    known_resources = "unit_test.cloudforge.cost_daily.test_known_resources_take_inventory_tags_others_their_own"
    assert known_resources in results
