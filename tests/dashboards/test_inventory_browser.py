"""The Inventory page's resource detail rendered by a real browser: the dashboards served by `streamlit run`, read
by headless Chromium at the address of a VPC's detail (?resource=<key>)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from support.pages import grant_reader
from websockets.sync.client import connect

ROOT = Path(__file__).parents[2]
VPC = "aws:111111111111:us-east-1:vpc:vpc-1"  # in history_marts_url (conftest.fill_history)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dashboards(history_marts_url: str, tmp_path: Path) -> str:
    """The dashboards served on a free loopback port, reading history_marts_url as the read-only role."""
    port = free_port()
    env = dict(os.environ, CLOUDFORGE_READER_DATABASE_URL=grant_reader(history_marts_url))
    command = [sys.executable, "-m", "streamlit", "run", "dashboards/app.py", "--browser.gatherUsageStats", "false",
               "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port)]
    with open(tmp_path / "streamlit.log", "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not healthy(url):
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "streamlit.log").read_text()
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(15)


def healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/_stcore/health", timeout=2).ok
    except requests.ConnectionError:
        return False


class Browser:
    """Headless Chromium driven over the DevTools protocol: open an address, read the page's text, screenshot it."""

    def __init__(self, profile: Path):
        port = free_port()
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,3000",
             f"--remote-debugging-port={port}", "--remote-allow-origins=*", f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                [page] = [t for t in requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json() if t["type"] == "page"]
                break
            except (requests.ConnectionError, ValueError):
                assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
                time.sleep(0.2)
        self.socket = connect(page["webSocketDebuggerUrl"], max_size=None)
        self.calls = 0

    def call(self, method: str, **params: object) -> dict:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self.calls:
                return message["result"]

    def text_once_shown(self, url: str, expected: str, timeout: float = 60) -> str:
        """Open ``url`` and wait until the page's text holds ``expected``; the text, whether it did or not."""
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while True:
            text = self.call("Runtime.evaluate", expression="document.body.innerText", returnByValue=True)
            text = text["result"].get("value") or ""
            if expected in text or time.monotonic() > deadline:
                return text
            time.sleep(0.5)

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(15)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package chromium)")
def test_a_vpcs_detail_renders_its_history_and_what_deleting_it_affects(dashboards, tmp_path):
    browser = Browser(tmp_path / "profile")
    try:
        text = browser.text_once_shown(f"{dashboards}/?resource={quote(VPC)}", "3 resources depend on it")
        (tmp_path / "inventory.png").write_bytes(browser.screenshot())
    finally:
        browser.close()

    # (tables draw on a canvas: their cells are in the screenshot, not the text)
    for shown in ("History", "Depends on", "Deleting it affects", "3 resources depend on it, 1 directly."):
        assert shown in text, shown
    assert (tmp_path / "inventory.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
