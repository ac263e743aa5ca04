"""Serve the dashboards with `streamlit run`; open a page in headless Chromium through the DevTools protocol, wait
until it shows a text, take a screenshot.

Streamlit draws its pages from a websocket after the load event, so Chromium's one-shot ``--dump-dom`` and
``--screenshot`` see an empty shell; this waits for the page itself instead.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import websockets

from support.http import free_port, get_when_up

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


@contextmanager
def served_dashboards(reader_url: str, database_url: str | None = None) -> Iterator[str]:
    """The dashboards served by `streamlit run` on a free loopback port, reading as the read-only role
    (``reader_url``); yields the base URL once Streamlit answers, and stops its whole process group on exit."""
    port = free_port()
    environment = {**os.environ, "CLOUDFORGE_READER_DATABASE_URL": reader_url}
    if database_url is not None:
        environment["CLOUDFORGE_DATABASE_URL"] = database_url
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=APP.parents[1], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        get_when_up(f"{url}/_stcore/health", seconds=90)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)


def screenshot_when_shown(url: str, text: str | tuple[str, ...], shot: Path, timeout: float = 90) -> str:
    """Open ``url``, wait until the page's text contains ``text`` (every one of them, for a tuple: Streamlit
    lays out columns, such as metrics side by side, after the elements around them), save a PNG screenshot to
    ``shot``; the page's text is returned. Raises TimeoutError when a text never shows."""
    texts = (text,) if isinstance(text, str) else text
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
                                    "--window-size=1400,1000", f"--remote-debugging-port={port}",
                                    f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            get_when_up(f"http://127.0.0.1:{port}/json/version")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
                [page] = [target for target in json.load(response) if target["type"] == "page"]
            return asyncio.run(_drive(page["webSocketDebuggerUrl"], url, texts, shot, timeout))
        finally:
            browser.terminate()
            browser.wait(15)


async def _drive(debugger: str, url: str, texts: tuple[str, ...], shot: Path, timeout: float) -> str:
    async with websockets.connect(debugger, max_size=None) as socket:
        ids = iter(range(1, 1_000_000))

        async def call(method: str, **params: object) -> dict:
            number = next(ids)
            await socket.send(json.dumps({"id": number, "method": method, "params": params}))
            while True:
                message = json.loads(await socket.recv())
                if message.get("id") == number:
                    return message.get("result", {})

        await call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while True:
            shown = await call("Runtime.evaluate", expression="document.body ? document.body.innerText : ''")
            body = shown.get("result", {}).get("value", "")
            if all(text in body for text in texts):
                break
            if time.monotonic() > deadline:
                missing = [text for text in texts if text not in body]
                raise TimeoutError(f"{url} never showed {missing!r}; it shows: {body[:500]!r}")
            await asyncio.sleep(0.5)
        await asyncio.sleep(1)  # let the tables finish drawing
        image = await call("Page.captureScreenshot", format="png")
        shot.write_bytes(base64.b64decode(image["data"]))
        return body
