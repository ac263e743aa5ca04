"""Open a page in headless Chromium through the DevTools protocol, wait until it shows a text, take a screenshot.

Streamlit draws its pages from a websocket after the load event, so Chromium's one-shot ``--dump-dom`` and
``--screenshot`` see an empty shell; this waits for the page itself instead.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets

from support.http import free_port, get_when_up

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"


def screenshot_when_shown(url: str, text: str, shot: Path, timeout: float = 90) -> str:
    """Open ``url``, wait until the page's text contains ``text``, save a PNG screenshot to ``shot``; the page's
    text is returned. Raises TimeoutError when the text never shows."""
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
            return asyncio.run(_drive(page["webSocketDebuggerUrl"], url, text, shot, timeout))
        finally:
            browser.terminate()
            browser.wait(15)


async def _drive(debugger: str, url: str, text: str, shot: Path, timeout: float) -> str:
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
            if text in body:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} never showed {text!r}; it shows: {body[:500]!r}")
            await asyncio.sleep(0.5)
        await asyncio.sleep(1)  # let the tables finish drawing
        image = await call("Page.captureScreenshot", format="png")
        shot.write_bytes(base64.b64decode(image["data"]))
        return body
