"""A real HTTP proxy on loopback in front of an AWS endpoint (the moto server) that adds a fixed latency to every
call, so a benchmark sees the round trips a real cloud costs. Tests subclass it to injure chosen calls."""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


class LatencyProxy(ThreadingHTTPServer):
    """Forwards every request to ``target`` after ``delay`` seconds; counts the calls by action."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, target: str, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), ForwardingHandler)
        self.target, self.delay = urlsplit(target).netloc, delay
        self.seen: Counter[str] = Counter()  # action (query protocols) or "METHOD /path" -> calls
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def intercept(self, handler: ForwardingHandler, action: str) -> bool:
        """Answer the request instead of forwarding it (True); the base proxy never does."""
        return False

    def deliver(self, action: str) -> bool:
        """Whether to send the target's answer back (False: drop the connection instead)."""
        return True


def action_of(body: bytes, method: str, path: str) -> str:
    for part in body.split(b"&"):
        if part.startswith(b"Action="):
            return part[7:].decode()
    return f"{method} {path.split('?')[0]}"


class ForwardingHandler(BaseHTTPRequestHandler):
    server: LatencyProxy
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: with Nagle's algorithm the body waits for the client's delayed
    # ACK of the headers (~40 ms on Linux), a latency no cloud adds.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # quiet: counters tell what happened
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        action = action_of(body, self.command, self.path)
        with self.server.lock:
            self.server.seen[action] += 1
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.intercept(self, action):
            return
        upstream = http.client.HTTPConnection(self.server.target, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
            response = upstream.getresponse()
            status, headers, payload = response.status, response.getheaders(), response.read()
        finally:
            upstream.close()
        if not self.server.deliver(action):
            self.close_connection = True  # the target did it; the caller hears nothing
            return
        self.reply(status, headers, payload)

    def reply(self, status: int, headers, payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


@contextmanager
def serving(proxy: LatencyProxy) -> Iterator[LatencyProxy]:
    """Serve ``proxy`` on a thread for the block; stopped on exit."""
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
