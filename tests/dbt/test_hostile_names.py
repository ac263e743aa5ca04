"""Every page run by AppTest on marts built from names written as Markdown, Streamlit directives, LaTeX, Slack
mrkdwn and HTML (dbt_hostile_names): headings, captions and messages show them as literal text, tables and charts
hold them as they are, and no Markdown element carries one where Markdown would read it."""

from __future__ import annotations

import pytest
from dbt_hostile_names import MESSAGE
from streamlit.testing.v1 import AppTest
from support.literal import ARN, NAME, PROJECT, SERVICE, TEAM, raw_values_in, rendered_text
from support.pages import chart_rows, run_page, selected_row, table_with

MARKDOWN_ELEMENTS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success", "error")


def markdown_bodies(app: AppTest) -> list[str]:
    """The source of every element Streamlit renders as Markdown, metrics' label, value and delta included."""
    bodies = [element.value for kind in MARKDOWN_ELEMENTS for element in getattr(app, kind)]
    return bodies + [text for metric in app.metric for text in (metric.label, metric.value, metric.delta) if text]


def run_literal_page(url: str, page: str, monkeypatch: pytest.MonkeyPatch, **state: object) -> AppTest:
    app = run_page(url, page, monkeypatch, **state)
    assert raw_values_in(markdown_bodies(app)) == []
    return app


def row_of(app: AppTest, key: str, **values: str) -> int:
    """The position of the one row of the table ``key`` with ``values``."""
    table = app.dataframe(key=key).value.reset_index(drop=True)
    [row] = table.index[(table[list(values)] == list(values.values())).all(axis=1)]
    return int(row)


def test_inventory_shows_the_name_and_arn_as_text(hostile_url, monkeypatch):
    listed = run_literal_page(hostile_url, "inventory", monkeypatch)
    assert TEAM in listed.multiselect(key="filter_team").options
    assert TEAM in {row["team"] for row in chart_rows(listed, "coverage_ratio")}

    row = row_of(listed, "resource_table", name=NAME)
    app = run_literal_page(hostile_url, "inventory", monkeypatch, resource_table=selected_row(row))

    assert NAME in [rendered_text(heading.value) for heading in app.subheader]
    [arn] = [caption.value for caption in app.caption if "instance" in caption.value]
    assert rendered_text(arn) == ARN
    assert [rendered_text(warning.value) for warning in app.warning] == [
        "Missing required tags: owner, cost-center"
    ]
    assert table_with(app, "missing_tags").set_index("resource_id").loc["i-0h1", "name"] == NAME


def test_compliance_lists_the_finding_with_its_name_as_it_is(hostile_url, monkeypatch):
    app = run_literal_page(hostile_url, "compliance", monkeypatch)

    findings = table_with(app, "resource_name")
    assert findings[["resource_name", "message"]].values.tolist() == [[NAME, MESSAGE]]


def test_costs_offer_and_chart_the_team_and_service_as_they_are(hostile_url, monkeypatch):
    by_team = run_literal_page(hostile_url, "costs", monkeypatch)
    by_service = run_literal_page(hostile_url, "costs", monkeypatch, costs_stack="service_name")

    assert TEAM in by_team.multiselect(key="costs_team").options
    assert PROJECT in by_team.multiselect(key="costs_project").options
    assert TEAM in {row["group"] for row in chart_rows(by_team, "group")}
    assert SERVICE in {row["group"] for row in chart_rows(by_service, "group")}


def test_budgets_chart_and_table_the_budget_name_as_it_is(hostile_url, monkeypatch):
    app = run_literal_page(hostile_url, "budgets", monkeypatch)

    assert f"team {TEAM}" in {row["budget"] for row in chart_rows(app, "budget")}
    assert TEAM in set(table_with(app, "budget_name")["budget_name"])


def test_anomaly_heading_shows_service_and_team_as_text(hostile_url, monkeypatch):
    listed = run_literal_page(hostile_url, "anomalies", monkeypatch)
    row = row_of(listed, "anomaly_table", service_name=SERVICE, team=TEAM)

    app = run_literal_page(hostile_url, "anomalies", monkeypatch, anomaly_table=selected_row(row))

    assert [rendered_text(heading.value) for heading in app.subheader] == [
        f"{SERVICE} for team {TEAM} on Wednesday 2024-06-12"
    ]


def test_showback_heading_shows_team_and_project_as_text(hostile_url, monkeypatch):
    listed = run_literal_page(hostile_url, "showback", monkeypatch)
    assert TEAM in {row["team"] for row in chart_rows(listed, "part")}
    row = row_of(listed, "showback_table", team=TEAM, project=PROJECT)

    app = run_literal_page(hostile_url, "showback", monkeypatch, showback_table=selected_row(row))

    assert [rendered_text(heading.value) for heading in app.subheader] == [f"{TEAM} / {PROJECT}"]
