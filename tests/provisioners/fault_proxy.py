"""A real HTTP proxy between boto3 and the moto server that injures chosen calls: it forwards a create and then
drops the connection instead of answering (the cloud did it, the caller never hears), throttles, or delays.

Run as a script (``python -m tests.provisioners.fault_proxy TARGET DELAY``) it serves until killed, printing its
URL, so a test can put it in front of an apply in another process.
"""

from __future__ import annotations

import http.client
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.support.aws_proxy import HOP_BY_HOP, Refusal, error_response


class FaultProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.target, self.delay = urlsplit(target).netloc, delay
        self.drop: Counter[str] = Counter()  # action -> answers still to drop after forwarding
        self.throttle: Counter[str] = Counter()  # action -> calls still to throttle
        self.seen: Counter[str] = Counter()  # action -> calls received
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def take(self, budget: Counter[str], action: str) -> bool:
        with self.lock:
            if budget[action] > 0:
                budget[action] -= 1
                return True
            return False


def _action(body: bytes) -> str:
    for part in body.split(b"&"):
        if part.startswith(b"Action="):
            return part[7:].decode()
    return ""


class _Handler(BaseHTTPRequestHandler):
    server: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        action = _action(body) or f"{self.command} {self.path.split('?')[0]}"
        with self.server.lock:
            self.server.seen[action] += 1
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.take(self.server.throttle, action):
            headers, payload = error_response("ec2", Refusal(503, "RequestLimitExceeded", "Request limit exceeded."))
            self._reply(503, headers.items(), payload)
            return
        upstream = http.client.HTTPConnection(self.server.target, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
            response = upstream.getresponse()
            status, headers, payload = response.status, response.getheaders(), response.read()
        finally:
            upstream.close()
        if self.server.take(self.server.drop, action):
            self.close_connection = True  # moto did it; the caller hears nothing
            return
        self._reply(status, headers, payload)

    def _reply(self, status: int, headers, payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


@contextmanager
def fault_proxy(target: str, delay: float = 0.0) -> Iterator[FaultProxy]:
    proxy = FaultProxy(target, delay)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
