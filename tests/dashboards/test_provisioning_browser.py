"""The Provisioning page rendered by `streamlit run` in headless Chromium: the DOM holds the page's title, the
planned request and its plan, and the screenshot is a real image."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from cloudforge.warehouse.reader import grant_reader
from tests.dashboards.test_provisioning_page import APP, planned
from tests.support.browser import screenshot_when_shown
from tests.support.http import free_port, get_when_up

# Widget labels and metrics: shown once the page's components loaded, not only its headings.
AWAITED = ("Monthly estimate", "Approve as", "Requested by", "Parameters (YAML)")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium on this machine")
def test_the_page_renders_in_a_browser(ledger_url, tmp_path):
    plan = planned(ledger_url, "browser-docs")
    port = free_port()
    env = {**os.environ, "CLOUDFORGE_DATABASE_URL": ledger_url,
           "CLOUDFORGE_READER_DATABASE_URL": grant_reader(ledger_url)}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    shot = tmp_path / "provisioning.png"
    try:
        get_when_up(f"http://127.0.0.1:{port}/_stcore/health", seconds=90)
        text = screenshot_when_shown(f"http://127.0.0.1:{port}/provisioning", AWAITED[-1], shot)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert all(label in text for label in AWAITED), text[:2000]
    assert "browser-docs · awaiting_approval" in text
    assert f"{plan.graph.request.id}, blueprint static-site, plan {plan.hash}" in text
    assert "The policy library found nothing to deny." in text
    screenshot = shot.read_bytes()
    assert screenshot[:8] == b"\x89PNG\r\n\x1a\n" and len(screenshot) > 20_000
