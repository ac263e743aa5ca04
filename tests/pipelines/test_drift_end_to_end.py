"""Drift on the demo: the published Terraform states against the inventory, through the session's `cloudforge run`.

Expectations come from the estate spec for drift (demo.terraform_states.plan_drift): its counts per category,
what each planted change is, and its canary secrets.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from support.browser import screenshot_when_shown, served_dashboards
from support.pages import metrics, run_page, selected_row, table_with

from cloudforge.cli import main
from cloudforge.warehouse import connect
from cloudforge.warehouse.reader import grant_reader
from demo.terraform_states import CANARY_SECRETS, STATE_BUCKET, STATE_PREFIX, plan_drift

CATEGORY_COUNTS = """
    SELECT coalesce(sum((drift_category = 'managed' AND NOT is_ignored)::int), 0),
           coalesce(sum((drift_category = 'changed' AND NOT is_ignored)::int), 0),
           coalesce(sum((drift_category = 'missing' AND NOT is_ignored)::int), 0),
           coalesce(sum((drift_category = 'unmanaged' AND NOT is_ignored)::int), 0),
           coalesce(sum(is_ignored::int), 0)
    FROM marts.drift_resources
"""


@pytest.fixture(scope="module")
def plan(demo_run):
    assert demo_run.result.exit_code == 0, demo_run.result.output
    return plan_drift(demo_run.estate)


def query(url: str, sql: str, params=None) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_drift_marts_count_exactly_what_the_estate_spec_declares(demo_run, plan):
    (managed, changed, missing, unmanaged, ignored), = query(demo_run.url, CATEGORY_COUNTS)
    assert {"managed": managed, "changed": changed, "missing": missing, "unmanaged": unmanaged,
            "ignored": ignored} == plan.expected_counts()
    coverage = query(demo_run.url, "SELECT sum(managed + changed), sum(managed + changed + missing + unmanaged), "
                                   "sum(ignored) FROM marts.drift_coverage")
    expected = plan.expected_counts()
    assert coverage == [(expected["managed"] + expected["changed"],
                         sum(expected[c] for c in ("managed", "changed", "missing", "unmanaged")), expected["ignored"])]


def test_every_planted_change_is_the_attribute_that_differs(demo_run, plan):
    def key(spec) -> str:
        return f"aws/{spec.account_id}/{spec.region}/{spec.resource_type}/{demo_run.resource_ids[(*spec.key, spec.name)][0]}"

    rows = query(demo_run.url, "SELECT resource_key, attribute_path, is_ignored, is_security_relevant "
                               "FROM marts.drift_attributes")
    expected = (
        [(key(s), "ingress", False, True) for s in plan.opened]
        + [(key(s), "instance_type", False, False) for s in plan.retyped]
        + [(key(s), "tags.cost-center", False, False) for s in plan.untagged]
        + [(key(plan.tuned[0]), "memory_size", True, False), (key(plan.tuned[1]), "memory_size", False, False)]
    )
    assert sorted(rows) == sorted(expected)
    missing = query(demo_run.url, "SELECT resource_type, resource_id FROM marts.drift_resources "
                                  "WHERE drift_category = 'missing' ORDER BY 1, 2")
    assert missing == sorted((d.resource_type, d.resource_id) for d in plan.deleted)
    unmanaged = query(demo_run.url, "SELECT resource_key, is_ignored, ignore_reason FROM marts.drift_resources "
                                    "WHERE drift_category = 'unmanaged'")
    assert sorted(unmanaged) == sorted(
        (key(s), s.resource_type == "iam_user",
         "break-glass user, created by hand on purpose" if s.resource_type == "iam_user" else None)
        for s in plan.by_hand
    )


def test_drift_check_on_the_demo_states_exits_1_with_the_marts_classification(
    demo_run, plan, moto_endpoint, monkeypatch
):
    monkeypatch.setenv("CLOUDFORGE_STATE_DIR", str(demo_run.state_dir))
    monkeypatch.setenv("CLOUDFORGE_DATABASE_URL", demo_run.url)
    monkeypatch.setenv("CLOUDFORGE_AWS__ENDPOINT_URL", moto_endpoint)
    result = CliRunner().invoke(main, ["drift", "check", "--state", f"s3://{STATE_BUCKET}/{STATE_PREFIX}",
                                       "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["counts"] == plan.expected_counts()
    checked = sorted((i["category"], i["resource_type"], i["resource_id"], i["ignored_reason"] is not None)
                     for i in report["items"])
    marts = query(demo_run.url, "SELECT drift_category, resource_type, resource_id, is_ignored "
                                "FROM marts.drift_resources ORDER BY 1, 2, 3")
    assert checked == sorted(marts)


def test_security_drift_and_dangerous_unmanaged_resources_are_alerts(demo_run, plan):
    keys = {key for (key,) in query(demo_run.url, "SELECT dedup_key FROM alerts.outbox WHERE source = 'drift' "
                                                  "AND action = 'trigger'")}
    opened = {f"drift:{key}:ingress" for (key,) in query(
        demo_run.url, "SELECT resource_key FROM marts.drift_resources WHERE resource_type = 'security_group' "
                      "AND name = ANY(%s)", [[s.name for s in plan.opened]])}
    flagged = {f"drift-unmanaged:{key}" for (key,) in query(demo_run.url, """
        SELECT DISTINCT r.resource_key FROM marts.drift_resources r JOIN marts.compliance_findings f USING (resource_key)
        WHERE r.drift_category = 'unmanaged' AND NOT r.is_ignored AND f.status = 'open'
          AND f.severity IN ('critical', 'high')""")}
    group = plan.by_hand[0]
    by_hand_group = f"aws/{group.account_id}/{group.region}/security_group/" + demo_run.resource_ids[
        (*group.key, group.name)][0]
    assert f"drift-unmanaged:{by_hand_group}" in flagged  # open to the world on 22: CF-AWS-EC2-001, high
    assert keys == opened | flagged


def test_no_secret_from_a_state_reaches_the_warehouse_or_the_logs(demo_run):
    tables = query(demo_run.url, """
        SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2""")
    assert ("raw_terraform", "declared_resources") in tables
    with connect(demo_run.url) as conn:
        for schema, table in tables:
            found = conn.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" AS t WHERE t::text LIKE ANY(%s)',  # noqa: S608
                [[f"%{secret}%" for secret in CANARY_SECRETS]],
            ).fetchone()[0]
            assert found == 0, f"a canary secret is in {schema}.{table}"
    assert not any(secret in demo_run.result.output for secret in CANARY_SECRETS)
    for path in demo_run.state_dir.rglob("*"):
        if path.is_file() and path.stat().st_size < 50_000_000:
            content = path.read_bytes()
            assert not any(secret.encode() in content for secret in CANARY_SECRETS), path


def test_the_drift_page_shows_the_counts_and_the_differences_of_a_selected_resource(demo_run, plan, monkeypatch):
    expected = plan.expected_counts()
    app = run_page(demo_run.url, "drift", monkeypatch)
    shown = metrics(app)
    assert {label: shown[label][0] for label in ("Managed", "Changed", "Missing", "Unmanaged", "Ignored")} == {
        label: f"{expected[label.lower()]:,}" for label in ("Managed", "Changed", "Missing", "Unmanaged", "Ignored")}
    table = app.dataframe(key="drift_table").value
    assert list(table["drift_category"].unique()) == ["changed", "missing", "unmanaged", "managed"]
    retyped = demo_run.resource_ids[(*plan.retyped[0].key, plan.retyped[0].name)][0]
    row = int(table.index[table["resource_id"] == retyped][0])
    app = run_page(demo_run.url, "drift", monkeypatch, drift_table=selected_row(row))
    differences = table_with(app, "attribute_path")
    assert list(differences["attribute_path"]) == ["instance_type"]


def test_the_drift_page_renders_in_a_browser(demo_run, tmp_path):
    """Streamlit serving the app, headless Chromium (driven over the DevTools protocol) showing the Drift page: the
    page's headings and figures are drawn, and a screenshot of it is taken."""
    if shutil.which("chromium") is None:
        pytest.skip("no chromium on PATH")
    shot = tmp_path / "drift.png"
    expected = plan_drift(demo_run.estate).expected_counts()
    with served_dashboards(grant_reader(demo_run.url), demo_run.url) as dashboards:
        text = screenshot_when_shown(f"{dashboards}/drift", ("Coverage per account and team", "Managed\n"), shot)
    for shown in ("Drift", "Coverage per account and team", "Trend", "Resources", "Unmanaged",
                  f"{expected['managed']:,}"):
        assert shown in text
    assert "Traceback" not in text and not any(secret in text for secret in CANARY_SECRETS)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000  # a page drawn, not a blank one
