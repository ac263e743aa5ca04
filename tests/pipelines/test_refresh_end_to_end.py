"""`cloudforge run` on the demo estate: boto3 ingestion -> dbt -> marts, checked against the estate's own records."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cloudforge.settings import load_settings
from cloudforge.warehouse import connect
from support.pages import point_dashboards_at

REQUIRED = load_settings().tags.required
APP = str(Path(__file__).parents[2] / "dashboards" / "app.py")


def test_run_succeeds_and_summarises(demo_run):
    assert demo_run.result.exit_code == 0, demo_run.result.output
    total = len(demo_run.estate.resources)
    types = len({spec.resource_type for spec in demo_run.estate.resources})
    assert f"resources: {total:,} in 3 accounts, {types} resource types" in demo_run.result.output
    assert "succeeded" in demo_run.result.output


def test_every_slice_holds_exactly_what_the_estate_created(demo_run):
    with connect(demo_run.url) as conn:
        rows = conn.execute(
            "SELECT account_id, region, resource_type, count(*) FROM marts.resources GROUP BY 1, 2, 3"
        ).fetchall()
    assert {(a, r, t): n for a, r, t, n in rows} == demo_run.estate.expected_counts()


def test_ownership_comes_from_normalised_tags(demo_run):
    """Per slice, the multiset of (team, project, env, owner) equals the estate's canonical tags."""
    expected = Counter(
        (*spec.key, *(spec.canonical_tags.get(key) for key in ("team", "project", "env", "owner")))
        for spec in demo_run.estate.resources
    )
    with connect(demo_run.url) as conn:
        actual = Counter(
            conn.execute(
                "SELECT account_id, region, resource_type, team, project, env, owner FROM marts.resources"
            ).fetchall()
        )
    assert actual == expected


def test_tag_coverage_per_account_and_team(demo_run):
    expected: dict[tuple[str, str], list[int]] = {}
    for spec in demo_run.estate.resources:
        counts = expected.setdefault((spec.account_id, spec.canonical_tags.get("team", "unassigned")), [0, 0])
        counts[0] += 1
        counts[1] += all(spec.canonical_tags.get(tag) for tag in REQUIRED)
    with connect(demo_run.url) as conn:
        rows = conn.execute(
            "SELECT account_id, team, resource_count, compliant_resource_count FROM marts.tag_coverage"
        ).fetchall()
        missing = conn.execute("SELECT count(*) FROM marts.missing_required_tags").fetchone()[0]
    assert {(a, t): [n, c] for a, t, n, c in rows} == expected
    assert missing == sum(n - c for n, c in expected.values())


def test_raw_inventory_has_no_failed_slice(demo_run):
    with connect(demo_run.url) as conn:
        failed = conn.execute("SELECT count(*) FROM raw_aws.sync_slices WHERE status <> 'ok'").fetchone()[0]
        errors = conn.execute("SELECT count(*) FROM raw_aws.sync_errors").fetchone()[0]
    assert (failed, errors) == (0, 0)


def test_inventory_page_shows_the_seeded_estate(demo_run, monkeypatch: pytest.MonkeyPatch):
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    point_dashboards_at(demo_run.url, monkeypatch)
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    compliant = sum(all(s.canonical_tags.get(tag) for tag in REQUIRED) for s in demo_run.estate.resources)
    total = len(demo_run.estate.resources)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics == {
        "Resources": f"{total:,}",
        "Accounts": "3",
        "Regions": "4",  # three regions plus IAM's "global"
        "Resource types": str(len({spec.resource_type for spec in demo_run.estate.resources})),
        "Tag coverage": f"{compliant / total:.0%}",
    }
    assert len(app.dataframe(key="resource_table").value) == total
