"""A page as headless Chromium renders it, driven over the DevTools protocol (the websockets client, which the
locked dependencies bring): its text once it shows what is awaited, and a PNG screenshot.

Chromium's one-shot ``--dump-dom``/``--screenshot`` capture before Streamlit's websocket has delivered the page.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
from itertools import count
from pathlib import Path
from urllib.request import urlopen

from websockets.sync.client import connect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _devtools_page(port: int, browser: subprocess.Popen, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert browser.poll() is None, "chromium exited"
        try:
            with urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as answer:
                pages = [t for t in json.load(answer) if t["type"] == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("chromium's DevTools did not answer")


def _render(socket_url: str, url: str, awaited: tuple[str, ...], seconds: float) -> tuple[str, bytes]:
    ids = count(1)
    with connect(socket_url, max_size=64 * 1024 * 1024) as connection:

        def call(method: str, **params) -> dict:
            message_id = next(ids)
            connection.send(json.dumps({"id": message_id, "method": method, "params": params}))
            while True:
                answer = json.loads(connection.recv(timeout=60))
                if answer.get("id") == message_id:
                    return answer["result"]

        def page_text() -> str:
            evaluated = call("Runtime.evaluate", expression="document.body ? document.body.innerText : ''")
            return evaluated["result"].get("value", "")

        call("Page.navigate", url=url)
        deadline, text = time.monotonic() + seconds, ""
        while time.monotonic() < deadline:
            text = page_text()
            if all(part in text for part in awaited):
                time.sleep(2)  # let the tables' canvases draw before the picture
                shot = call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
                return page_text(), base64.b64decode(shot["data"])
            time.sleep(0.5)
    raise AssertionError(f"{url} did not show {awaited!r} within {seconds} s; it showed: {text[:500]!r}")


def render(url: str, awaited: tuple[str, ...], port: int, seconds: float = 90) -> tuple[str, bytes]:
    """(the page's text, a PNG of it) once ``url`` shows every text of ``awaited`` (widget labels appear only
    once Streamlit's components loaded); Chromium is stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="cloudforge-chromium-") as profile:
        browser = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,2000",
             f"--remote-debugging-port={port}", f"--user-data-dir={Path(profile)}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            return _render(_devtools_page(port, browser), url, awaited, seconds)
        finally:
            browser.terminate()
            browser.wait(timeout=30)
