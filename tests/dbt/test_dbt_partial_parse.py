"""dbt's start-up is paid once: a build reads the partial parse of the latest build with the same vars and
warehouse (pipelines.dbt.WarehouseDbtCliResource). dbt's log says when it cannot parse partially."""

import json

from pipelines.dbt import dbt_resource

FULL_PARSE = "Unable to do partial parsing"


def parse_log(url: str, variables: dict) -> str:
    invocation = dbt_resource(url).cli(["parse", "--vars", json.dumps(variables)])
    invocation.wait()
    return (invocation.target_path / "dbt.log").read_text()


def test_a_build_parses_in_full_once_per_vars_then_partially(tmp_path):
    url = "postgresql://cloudforge@localhost:5432/partial_parse"  # dbt parse never connects
    variables = {"today": "2026-11-30", "run": str(tmp_path)}  # vars no build has used before

    assert FULL_PARSE in parse_log(url, variables)
    assert FULL_PARSE not in parse_log(url, variables)
    assert FULL_PARSE not in parse_log(url, variables)  # the parse dbt kept as it was serves the next build too
