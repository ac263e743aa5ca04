"""Replay recorded HTTP exchanges to a real client, and record what the client sent.

A scenario file lists exchanges in order. Each has a request pattern (method, path, query parameters where
null means "not sent", and a subset of the JSON body) and the response to give (status, headers, a JSON
body inline or in a file beside the scenario). Every exchange answers once; an incoming request takes the
first unused exchange it matches, so a 429 followed by a 200 for the same request replays as written. A
request that matches nothing gets a 501 naming it, so a test fails loudly instead of hanging. ``{base_url}``
in a response is replaced by the server's own address, for links such as Azure's ``nextLink``.

The Authorization header is kept apart from the other headers and out of every repr, so a failing
assertion or a log line never shows a token.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass(frozen=True)
class Exchange:
    """One recorded request pattern and the response it gets."""

    method: str
    path: str
    status: int
    response: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str | None] = field(default_factory=dict)
    body: Any = None

    @classmethod
    def from_json(cls, spec: Mapping[str, Any], folder: Path) -> Exchange:
        request, response = spec["request"], spec["response"]
        if "body_file" in response:
            text = (folder / response["body_file"]).read_text(encoding="utf-8")
        else:
            text = json.dumps(response["body"]) if "body" in response else ""
        return cls(
            method=request["method"],
            path=request["path"],
            query=request.get("query", {}),
            body=request.get("body"),
            status=response["status"],
            headers=response.get("headers", {}),
            response=text,
        )

    def matches(self, received: Received) -> bool:
        if received.method != self.method or received.path != self.path:
            return False
        for name, value in self.query.items():
            if received.query.get(name) != value:
                return False
        return _contains(received.body, self.body)


@dataclass
class Received:
    """One request as the server saw it (Authorization kept separately, never shown)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    at: float
    authorization: str | None = field(default=None, repr=False)
    answered_by: int | None = None


class ReplayServer:
    """A ThreadingHTTPServer on a free loopback port, replaying ``exchanges`` in order of use."""

    def __init__(self, exchanges: list[Exchange]) -> None:
        self.exchanges = exchanges
        self.received: list[Received] = []
        self._used: set[int] = set()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.replay = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replay-server", daemon=True)

    @classmethod
    def from_scenario(cls, path: Path) -> ReplayServer:
        return cls(scenario_exchanges(path))

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def unused(self) -> list[Exchange]:
        """Exchanges no request has taken yet (a test expecting the whole scenario checks this is empty)."""
        return [exchange for index, exchange in enumerate(self.exchanges) if index not in self._used]

    def answer(self, received: Received) -> tuple[int, dict[str, str], bytes]:
        """Record ``received`` and take the first unused exchange it matches: (status, headers, body)."""
        with self._lock:
            self.received.append(received)
            free = (i for i, e in enumerate(self.exchanges) if i not in self._used and e.matches(received))
            index = next(free, None)
            if index is None:
                message = (
                    f"{received.method} {received.path} query={received.query} matches no unused exchange"
                )
                return (
                    501,
                    {},
                    json.dumps({"error": {"code": "NoRecordedResponse", "message": message}}).encode(),
                )
            self._used.add(index)
            received.answered_by = index
        exchange = self.exchanges[index]
        headers = {name: value.replace("{base_url}", self.url) for name, value in exchange.headers.items()}
        return exchange.status, headers, exchange.response.replace("{base_url}", self.url).encode()


def scenario_exchanges(path: Path) -> list[Exchange]:
    """The exchanges of a scenario file, to replay alone or beside others'."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    return [Exchange.from_json(item, path.parent) for item in spec["exchanges"]]


class _Handler(BaseHTTPRequestHandler):
    def _replay(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {
            name.lower(): value for name, value in self.headers.items() if name.lower() != "authorization"
        }
        received = Received(
            method=self.command,
            path=unquote(url.path),
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers=headers,
            body=_parse_body(raw, self.headers.get("Content-Type") or ""),
            at=time.monotonic(),
            authorization=self.headers.get("Authorization"),
        )
        status, extra_headers, payload = self.server.replay.answer(received)  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _replay

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        """Silent: request lines carry tokens in some APIs, and tests read ``received`` instead."""


def _parse_body(raw: bytes, content_type: str) -> Any:
    """JSON, a form (an OAuth token request) as {field: value}, or plain text (line protocol) as it is."""
    if not raw:
        return None
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(raw.decode()))
    if content_type.startswith("text/plain"):
        return raw.decode()
    return json.loads(raw)


def _contains(actual: Any, expected: Any) -> bool:
    """True when ``expected`` is a subset of ``actual``: dict keys recursively, other values equal."""
    if expected is None:
        return True
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and _contains(actual[key], value) for key, value in expected.items()
        )
    return actual == expected
