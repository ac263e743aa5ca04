"""The Provisioning page rendered by `streamlit run` in headless Chromium: the DOM holds the page's title, the
planned request and its plan, and the screenshot is a real image."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from cloudforge.warehouse.reader import grant_reader
from tests.dashboards.test_provisioning_page import APP, planned
from tests.support.browser import CHROMIUM, render
from tests.provisioners.conftest import ledger_url  # noqa: F401 (the fixture: a fresh ledger)



def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(port: int, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "streamlit exited"
        try:
            with urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"streamlit did not answer on port {port} within {seconds} s")


# Widget labels and metrics: shown once the page's components loaded, not only its headings.
AWAITED = ("Monthly estimate", "Approve as", "Requested by", "Parameters (YAML)")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
def test_the_page_renders_in_a_browser(ledger_url, tmp_path):  # noqa: F811
    plan = planned(ledger_url, "browser-docs")
    port = free_port()
    env = {**os.environ, "CLOUDFORGE_DATABASE_URL": ledger_url,
           "CLOUDFORGE_READER_DATABASE_URL": grant_reader(ledger_url)}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_healthy(port, server)
        text, screenshot = render(f"http://127.0.0.1:{port}/provisioning", AWAITED, free_port())
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert "browser-docs · awaiting_approval" in text
    assert f"{plan.graph.request.id}, blueprint static-site, plan {plan.hash}" in text
    assert "The policy library found nothing to deny." in text
    (tmp_path / "provisioning.png").write_bytes(screenshot)
    assert screenshot[:8] == b"\x89PNG\r\n\x1a\n" and len(screenshot) > 20_000
