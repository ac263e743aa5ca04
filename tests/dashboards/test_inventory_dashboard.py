"""The Inventory page run by AppTest against real marts in the embedded PostgreSQL (see conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from support.literal import rendered_text

from dashboards.connection import RUN_FIRST
from dashboards.inventory.queries import ResourceFilters, search_resources
from support.pages import point_dashboards_at

APP = str(Path(__file__).parents[2] / "dashboards" / "app.py")
# The table's order: cloud, account, region, type, name.
SELECT_HINT = "Select a row to see its tags, configuration, history and dependencies."
ALL_NAMES = ["batch_1", "web-1", "cf-logs-bucket", "resize-images", "orders-db", "analytics-vm"]


def run_app(url: str, monkeypatch: pytest.MonkeyPatch, **state: object) -> AppTest:
    """The app pointed at ``url``, run once with ``state`` in its session; it must not raise."""
    point_dashboards_at(url, monkeypatch)
    app = AppTest.from_file(APP, default_timeout=30)
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception
    return app


def selected_row(row: int) -> dict:
    """The table's selection state after a click on ``row``."""
    return {"selection": {"rows": [row], "columns": [], "cells": []}}


def table_with(app: AppTest, column: str) -> pd.DataFrame:
    """The one table on the page that has ``column``."""
    [table] = [frame.value for frame in app.dataframe if column in frame.value.columns]
    return table


def captions(app: AppTest) -> list[str]:
    return [caption.value for caption in app.main.caption]


def table_names(app: AppTest) -> list[str]:
    return list(app.dataframe(key="resource_table").value["name"])


def test_headline_metrics_and_freshness(marts_url, monkeypatch):
    app = run_app(marts_url, monkeypatch)

    assert {metric.label: metric.value for metric in app.metric} == {
        "Resources": "6",
        "Accounts": "3",
        "Regions": "4",
        "Resource types": "5",
        "Tag coverage": "50%",
    }
    assert [caption.value for caption in app.sidebar.caption] == ["Inventory synced 2026-11-28 06:30 UTC"]


def test_totals_are_charted(marts_url, monkeypatch):
    app = run_app(marts_url, monkeypatch)

    assert [header.value for header in app.header] == ["Where it runs", "Resources", "Tag coverage"]
    specs = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    # Resources by cloud, account, region and type, then the tag coverage heatmap (untitled).
    assert [spec.get("title") for spec in specs] == ["Cloud", "Account", "Region", "Type", None]


def test_table_lists_every_resource_in_order(marts_url, monkeypatch):
    app = run_app(marts_url, monkeypatch)

    assert table_names(app) == ALL_NAMES
    assert f"Showing 6 matching resources. {SELECT_HINT}" in captions(app)


@pytest.mark.parametrize(
    ("state", "names"),
    [
        ({"filter_cloud": ["gcp"]}, ["analytics-vm"]),
        ({"filter_account_id": ["111111111111"]}, ["batch_1", "web-1", "cf-logs-bucket"]),
        ({"filter_region": ["us-west-2", "europe-west1"]}, ["resize-images", "orders-db", "analytics-vm"]),
        ({"filter_resource_type": ["ec2:instance"]}, ["batch_1", "web-1"]),
        ({"filter_team": [""]}, ["resize-images"]),
        ({"filter_team": ["payments"], "filter_env": ["prod"]}, ["web-1", "cf-logs-bucket"]),
        ({"filter_state": ["available"]}, ["cf-logs-bucket", "orders-db"]),
        ({"search": "resize"}, ["resize-images"]),
        ({"search": "ARN:AWS:S3"}, ["cf-logs-bucket"]),
        ({"search": "4815"}, ["analytics-vm"]),
        ({"search": "_"}, ["batch_1"]),
        ({"search": "%"}, []),
        ({"search": "i-0", "filter_region": ["eu-west-1"]}, ["batch_1"]),
    ],
)
def test_filters_and_search_narrow_the_table(marts_url, monkeypatch, state, names):
    app = run_app(marts_url, monkeypatch, **state)

    assert table_names(app) == names
    assert f"Showing {len(names)} matching resources. {SELECT_HINT}" in captions(app)


def test_filter_offers_missing_values_as_none(marts_url, monkeypatch):
    app = run_app(marts_url, monkeypatch)

    team = app.multiselect(key="filter_team")
    assert team.options == ["(none)", "data", "payments"]
    assert table_names(team.set_value([""]).run()) == ["resize-images"]


def test_selected_row_shows_tags_and_configuration(marts_url, monkeypatch):
    app = run_app(marts_url, monkeypatch, resource_table=selected_row(1))

    assert rendered_text(app.subheader[0].value) == "web-1"
    assert "arn:aws:ec2:us-east-1:111111111111:instance/i-0a1" in map(rendered_text, captions(app))
    tags = table_with(app, "tag_key")
    assert sorted(zip(tags["tag_key"], tags["tag_value"], tags["canonical_key"])) == [
        ("Project", "checkout", "project"),
        ("Team", "payments", "team"),
        ("env", "prod", "env"),
        ("owner", "ana", "owner"),
    ]
    attributes = table_with(app, "Attribute")
    assert dict(zip(attributes["Attribute"], attributes["Value"]))["Created"] == "2025-03-01 12:00 UTC"
    assert [success.value for success in app.success] == ["Carries every required tag."]
    assert json.loads(app.json[0].value) == {
        "Id": "i-0a1",
        "Tags": {"Team": "payments", "Project": "checkout", "env": "prod", "owner": "ana"},
    }


def test_selected_untagged_resource_lists_missing_tags(marts_url, monkeypatch):
    app = run_app(marts_url, monkeypatch, resource_table=selected_row(3))

    assert rendered_text(app.subheader[0].value) == "resize-images"
    assert [rendered_text(warning.value) for warning in app.warning] == [
        "Missing required tags: team, project, env, owner"
    ]
    assert len(table_with(app, "tag_key")) == 0


def test_tag_coverage_and_missing_tags(marts_url, monkeypatch):
    app = run_app(marts_url, monkeypatch)

    coverage = table_with(app, "coverage_ratio")
    assert list(zip(coverage["account_id"], coverage["team"], coverage["coverage_ratio"])) == [
        ("111111111111", "data", 100.0),
        ("111111111111", "payments", 50.0),
        ("222222222222", "(none)", 0.0),
        ("222222222222", "payments", 100.0),
        ("analytics-prod", "data", 0.0),
    ]
    missing = table_with(app, "missing_tags")
    assert list(missing["name"]) == ["cf-logs-bucket", "resize-images", "analytics-vm"]
    assert [list(tags) for tags in missing["missing_tags"]] == [
        ["owner"],
        ["team", "project", "env", "owner"],
        ["owner"],
    ]
    assert "3 resources lack at least one required tag." in captions(app)


def test_search_reports_more_matches_than_rows(marts_url, monkeypatch):
    point_dashboards_at(marts_url, monkeypatch)

    rows, matches = search_resources(ResourceFilters(cloud=("aws",)), limit=2)

    assert (list(rows["name"]), matches) == (["batch_1", "web-1"], 5)


@pytest.mark.parametrize(
    ("database", "message"),
    [
        ("no_marts_url", "The warehouse has no inventory marts yet."),
        ("empty_marts_url", "The inventory is empty: the marts hold no resources yet."),
    ],
)
def test_warehouse_not_ready_says_what_to_do(request, monkeypatch, database, message):
    app = run_app(request.getfixturevalue(database), monkeypatch)

    assert [info.value for info in app.info] == [f"{message} {RUN_FIRST}"]
    assert "cloudforge run" in RUN_FIRST
    assert not app.metric and not app.dataframe


def test_unreachable_warehouse_hides_the_password(monkeypatch):
    reader_url = "postgresql://reader:s3cret-pw@127.0.0.1:1/warehouse"
    monkeypatch.setenv("CLOUDFORGE_READER_DATABASE_URL", reader_url)
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()

    [info] = app.info
    assert info.value.startswith("Cannot reach the warehouse at 127.0.0.1:1/warehouse.")
    assert "s3cret" not in info.value and "reader" not in info.value


def relationship_tables(app: AppTest) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(what the resource depends on, what depends on it) in the detail: only the second has a depth."""
    [depends_on] = [f.value for f in app.dataframe if "relation" in f.value.columns and "depth" not in f.value.columns]
    [affected] = [frame.value for frame in app.dataframe if "depth" in frame.value.columns]
    return depends_on, affected


def test_selected_resource_shows_its_history_and_dependencies(history_marts_url, monkeypatch):
    app = run_app(history_marts_url, monkeypatch, search="i-0a1", resource_table=selected_row(0))

    assert app.query_params["resource"] == "aws:111111111111:us-east-1:ec2:instance:i-0a1"  # a link to it

    history = table_with(app, "change_type")
    assert [(event, list(changed)) for event, changed in zip(history["change_type"], history["changed_attributes"])] == [
        ("changed", ["InstanceType", "Tags"]), ("discovered", []),
    ]
    assert "2 events since the inventory first saw it." in captions(app)
    depends_on, affected = relationship_tables(app)
    assert list(zip(depends_on["relation"], depends_on["name"])) == [
        ("in_subnet", "app-a"), ("uses_security_group", "web-sg"),
    ]
    assert list(zip(affected["depth"], affected["relation"], affected["name"])) == [(1, "attached_to", "web-1-data")]
    assert "1 resources depend on it, 1 directly." in captions(app)


def test_deleting_a_vpc_affects_everything_in_it(history_marts_url, monkeypatch):
    """Opened by its address (?resource=<key>), as a link to it would."""
    point_dashboards_at(history_marts_url, monkeypatch)
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params["resource"] = "aws:111111111111:us-east-1:vpc:vpc-1"
    app.run()
    assert not app.exception

    depends_on, affected = relationship_tables(app)
    assert list(zip(affected["depth"], affected["relation"], affected["name"])) == [
        (1, "in_vpc", "app-a"), (2, "in_subnet", "web-1"), (3, "attached_to", "web-1-data"),
    ]
    assert "3 resources depend on it, 1 directly." in captions(app)
    assert len(depends_on) == 0 and "Nothing." in captions(app)  # a VPC depends on nothing
