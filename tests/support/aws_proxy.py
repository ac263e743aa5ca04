"""A real HTTP proxy in front of a moto server that refuses chosen AWS requests the way AWS does.

Each request's region and service are read from the SigV4 credential scope in its Authorization header
(``Credential=<key id>/<date>/<region>/<service>/aws4_request``). A rule may answer it with an AWS error
(AccessDenied, UnauthorizedOperation, throttling, ...) in the wire format of that service's protocol, so
botocore parses it exactly as it would parse AWS; every other request is forwarded to moto unchanged.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

SCOPE = re.compile(r"Credential=(?P<key>[^/]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


@dataclass(frozen=True)
class SignedRequest:
    access_key_id: str
    region: str
    service: str
    body: bytes


@dataclass(frozen=True)
class Refusal:
    """An AWS error answer: HTTP status, error code, message."""

    status: int
    code: str
    message: str


Rule = Callable[[SignedRequest], Refusal | None]
# services (by signing name) answering in rest-json, and every JSON service: they say AccessDeniedException
REST_JSON_SERVICES = ("lambda", "securityhub", "guardduty", "elasticfilesystem", "access-analyzer")
JSON_SERVICES = (*REST_JSON_SERVICES, "kms", "config", "logs", "cloudtrail")


def access_denied_in(region: str) -> Rule:
    """Refuse everything signed for ``region`` with the code each service really uses, echoing the caller's
    key id in the message as AWS sometimes does (so a test can see that it is scrubbed)."""

    def rule(request: SignedRequest) -> Refusal | None:
        if request.region != region:
            return None
        code = {"ec2": "UnauthorizedOperation"} | dict.fromkeys(JSON_SERVICES, "AccessDeniedException")
        message = (
            f"Access key {request.access_key_id} is not authorized to perform this operation in {region}"
        )
        return Refusal(403, code.get(request.service, "AccessDenied"), message)

    return rule


def throttled(region: str, service: str) -> Rule:
    """Throttle every call to ``service`` in ``region`` (a retryable error botocore retries)."""

    def rule(request: SignedRequest) -> Refusal | None:
        if (request.region, request.service) == (region, service):
            return Refusal(400, "ThrottlingException", "Rate exceeded")
        return None

    return rule


def assume_role_denied(account_id: str) -> Rule:
    """Refuse sts:AssumeRole into any role of ``account_id``."""

    def rule(request: SignedRequest) -> Refusal | None:
        if request.service == "sts" and f"%3A%3A{account_id}%3Arole".encode() in request.body:
            return Refusal(403, "AccessDenied", f"not authorized to perform: sts:AssumeRole on {account_id}")
        return None

    return rule


def error_response(service: str, refusal: Refusal) -> tuple[dict[str, str], bytes]:
    """Headers and body of ``refusal`` in the error format of ``service``'s protocol."""
    code, message = escape(refusal.code), escape(refusal.message)
    if service == "ec2":  # the ec2 protocol
        body = f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
        return {"Content-Type": "text/xml"}, f"{body}<RequestID>proxy</RequestID></Response>".encode()
    if service == "s3":  # rest-xml
        body = f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>proxy</RequestId></Error>"
        return {"Content-Type": "application/xml"}, body.encode()
    if service in REST_JSON_SERVICES:
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": refusal.code}
        return headers, json.dumps({"Message": refusal.message}).encode()
    if service in ("kms", "config", "logs", "cloudtrail"):  # json 1.1
        body = json.dumps({"__type": refusal.code, "message": refusal.message})
        return {"Content-Type": "application/x-amz-json-1.1"}, body.encode()
    if service == "monitoring":  # CloudWatch, as botocore calls it: json 1.0
        body = json.dumps({"__type": refusal.code, "message": refusal.message})
        return {"Content-Type": "application/x-amz-json-1.0"}, body.encode()
    # the query protocol: sts, iam, rds, elasticloadbalancing
    body = f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
    return {"Content-Type": "text/xml"}, f"{body}<RequestId>proxy</RequestId></ErrorResponse>".encode()


class RefusingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str, rules: list[Rule]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.target = urlsplit(target).netloc
        self.rules = rules
        self.refused: Counter[tuple[str, str, str]] = Counter()  # (region, service, code) -> requests
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def refusal(self, request: SignedRequest) -> Refusal | None:
        for rule in self.rules:
            if refusal := rule(request):
                with self._lock:
                    self.refused[(request.region, request.service, refusal.code)] += 1
                return refusal
        return None


class _Handler(BaseHTTPRequestHandler):
    server: RefusingProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests read the counters instead
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        scope = SCOPE.search(self.headers.get("Authorization", ""))
        if scope:
            request = SignedRequest(scope["key"], scope["region"], scope["service"], body)
            if refusal := self.server.refusal(request):
                headers, payload = error_response(request.service, refusal)
                self._reply(refusal.status, headers.items(), payload)
                return
        upstream = http.client.HTTPConnection(self.server.target, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
            response = upstream.getresponse()
            self._reply(response.status, response.getheaders(), response.read())
        finally:
            upstream.close()

    def _reply(self, status: int, headers, payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_DELETE = _handle


@contextmanager
def refusing_proxy(target: str, *rules: Rule) -> Iterator[RefusingProxy]:
    """A running proxy to ``target`` applying ``rules`` in order; stopped on exit."""
    proxy = RefusingProxy(target, list(rules))
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
