"""The Provisioning page rendered by `streamlit run` in headless Chromium: the DOM holds the page's title, the
planned request and its plan, and the screenshot is a real image."""

from __future__ import annotations

import shutil

import pytest

from cloudforge.warehouse.reader import grant_reader
from tests.dashboards.test_provisioning_page import planned
from tests.support.browser import screenshot_when_shown, served_dashboards

# Widget labels and metrics: shown once the page's components loaded, not only its headings. The page is
# screenshot when every one shows: Streamlit lays the metric columns out after the form below them.
AWAITED = ("Monthly estimate", "Approve as", "Requested by", "Parameters (YAML)")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium on this machine")
def test_the_page_renders_in_a_browser(ledger_url, tmp_path):
    plan = planned(ledger_url, "browser-docs")
    shot = tmp_path / "provisioning.png"
    with served_dashboards(grant_reader(ledger_url), ledger_url) as dashboards:
        text = screenshot_when_shown(f"{dashboards}/provisioning", AWAITED, shot)

    assert "browser-docs · awaiting_approval" in text
    assert f"{plan.graph.request.id}, blueprint static-site, plan {plan.hash}" in text
    assert "The policy library found nothing to deny." in text
    screenshot = shot.read_bytes()
    assert screenshot[:8] == b"\x89PNG\r\n\x1a\n" and len(screenshot) > 20_000
