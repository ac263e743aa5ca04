"""The Provisioning page run by AppTest against a ledger in the embedded PostgreSQL: the requests, the chosen one's
plan, estimate, findings, approvals and events; approving it and planning a new request from the page write the
ledger as `cloudforge provision approve|plan` do."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from support.literal import rendered_text

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect
from cloudforge.warehouse.reader import grant_reader
from policies.config import PolicyConfig
from provisioners.blueprints.request import request_id
from provisioners.ledger import Ledger
from provisioners.service import plan_request
from tests.provisioners.conftest import make_request

APP = str(Path(__file__).parents[2] / "dashboards" / "app.py")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def planned(url: str, name: str = "docs"):
    with Ledger.open(url) as ledger:
        return plan_request(ledger, make_request("static-site", name), PolicyConfig(), NOW, None, "alice")


def run_page(url: str, monkeypatch: pytest.MonkeyPatch, **state: object) -> AppTest:
    """The Provisioning page with the ledger at ``url`` (written as the warehouse's owner, as the CLI does)."""
    reader = grant_reader(url)
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", url)
    monkeypatch.setenv("CLOUDFORGE_READER_DATABASE_URL", reader)
    monkeypatch.setitem(st.session_state, "settings", load_settings(database_url=url, reader_database_url=reader))
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=60).switch_page("views/provisioning.py")
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def frame(app: AppTest, column: str):
    """The one table on the page with ``column``."""
    [table] = [frame.value for frame in app.dataframe if column in frame.value.columns]
    return table


def test_the_request_its_plan_and_its_audit_log(ledger_url, monkeypatch):
    plan = planned(ledger_url)
    app = run_page(ledger_url, monkeypatch)

    requests = frame(app, "Request")
    assert list(requests["Request"]) == [plan.graph.request.id]
    assert list(requests["Status"]) == ["awaiting_approval"]
    assert Decimal(str(requests["Monthly estimate ($)"][0])) == plan.monthly
    resources = frame(app, "basis")
    assert list(resources["node"]) == plan.graph.order()
    assert list(resources["address"]) == [plan.graph.nodes[n].address for n in plan.graph.order()]
    assert [m.value for m in app.metric][:2] == [str(len(plan.graph.nodes)), f"${plan.monthly}"]
    assert [s.value for s in app.success] == ["The policy library found nothing to deny."]
    assert frame(app, "approved_by").empty
    assert list(frame(app, "event")["event"]) == ["requested", "planned", "gate"]


def test_approving_on_the_page_records_who_approved_the_current_plan(ledger_url, monkeypatch):
    plan = planned(ledger_url)
    app = run_page(ledger_url, monkeypatch)
    app.text_input(key="approver").input("carol")
    app.button[0].click().run()  # the form's submit button
    assert not app.exception, app.exception

    with Ledger.open(ledger_url) as ledger:
        row = ledger.request(plan.graph.request.id)
    assert (row.status, row.approvers) == ("approved", ("carol",))
    with connect(ledger_url) as conn:
        assert conn.execute(
            "SELECT event, actor, detail ->> 'plan_hash' FROM provisioning.events WHERE event = 'approved'"
        ).fetchall() == [("approved", "carol", plan.hash)]
    assert any(s.value == "Approved by carol: approved (1 of 1 approvals)" for s in app.success)


def test_a_new_request_from_a_blueprint_and_parameters_is_planned(ledger_url, monkeypatch):
    app = run_page(ledger_url, monkeypatch)
    assert [i.value for i in app.info] == [
        "No provisioning requests yet: plan one below or with `cloudforge provision plan REQUEST.yaml`."
    ]
    app.selectbox(key="new_blueprint").select("static-site").run()
    values = {"new_name": "handbook", "new_account": "123456789012", "new_region": "us-east-1",
              "new_team": "payments", "new_project": "checkout", "new_env": "dev", "new_owner": "alice",
              "new_requested_by": "dana"}  # fmt: skip
    for key, value in values.items():
        app.text_input(key=key).input(value)
    app.button[0].click().run()
    assert not app.exception, app.exception

    expected = request_id("123456789012", "us-east-1", "handbook")
    with Ledger.open(ledger_url) as ledger:
        row = ledger.request(expected)
    assert (row.blueprint, row.status, row.document["requested_by"]) == ("static-site", "awaiting_approval", "dana")
    assert any(s.value.startswith(f"Planned {expected}: ") for s in app.success)


def test_a_bad_new_request_names_the_problem_and_records_nothing(ledger_url, monkeypatch):
    app = run_page(ledger_url, monkeypatch)
    app.text_input(key="new_name").input("Bad Name")
    app.button[0].click().run()
    [error] = app.error
    shown = rendered_text(error.value)  # the problem is shown as literal text
    assert shown.startswith("Not planned: the new request form:")
    assert "name: lowercase letters, digits and '-', at most 63" in shown
    with connect(ledger_url) as conn:
        assert conn.execute("SELECT count(*) FROM provisioning.requests").fetchone()[0] == 0
