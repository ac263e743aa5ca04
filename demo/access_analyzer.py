"""IAM Access Analyzer for the embedded cloud, which moto 5.2.5 does not have: a small rest-json endpoint.

It answers the two operations the inventory and the seeding use, in the wire format of botocore's service
model (``accessanalyzer`` 2019-11-01, protocol rest-json): CreateAnalyzer (``PUT /analyzer``) and
ListAnalyzers (``GET /analyzer``, ``?type=`` filter). Analyzers are kept per account and region, the account
being the one moto gives the request's access key (assumed-role credentials map to their account), so the
real boto3 client is driven over HTTP as it would be against AWS. ``ServiceRouter`` sits in front of moto
and sends requests signed for ``access-analyzer`` here, everything else to moto.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from cloudforge.clock import Clock

SIGNING_NAME = "access-analyzer"
TYPES = ("ACCOUNT", "ORGANIZATION", "ACCOUNT_UNUSED_ACCESS", "ORGANIZATION_UNUSED_ACCESS",
         "ACCOUNT_INTERNAL_ACCESS", "ORGANIZATION_INTERNAL_ACCESS")  # the model's Type enum
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,254}$")  # the model's AnalyzerName pattern
SCOPE = re.compile(r"Credential=(?P<key>[^/]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class AccessAnalyzerError(Exception):
    """An error answer: HTTP status, the error type botocore maps to an exception, the message."""

    def __init__(self, status: int, code: str, message: str, **fields: str) -> None:
        super().__init__(message)
        self.status, self.code, self.fields = status, code, fields


class AccessAnalyzer:
    """The analyzers of every account-region, created through CreateAnalyzer."""

    def __init__(self, clock: Clock = Clock()) -> None:
        self.clock = clock  # dates createdAt
        self._analyzers: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def forget(self, account_ids: Iterable[str]) -> None:
        """Drop these accounts' analyzers, as seeding drops the accounts from moto."""
        accounts = set(account_ids)
        with self._lock:
            for key in [key for key in self._analyzers if key[0] in accounts]:
                del self._analyzers[key]

    def create(self, account: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
        name, kind = body.get("analyzerName"), body.get("type")
        if not isinstance(name, str) or not NAME.match(name):
            raise AccessAnalyzerError(400, "ValidationException", f"invalid analyzerName {name!r}",
                                      reason="fieldValidationFailed")
        if kind not in TYPES:
            raise AccessAnalyzerError(400, "ValidationException", f"invalid type {kind!r}; one of {', '.join(TYPES)}",
                                      reason="fieldValidationFailed")
        arn = f"arn:aws:access-analyzer:{region}:{account}:analyzer/{name}"
        with self._lock:
            analyzers = self._analyzers.setdefault((account, region), [])
            if any(analyzer["name"] == name for analyzer in analyzers):
                raise AccessAnalyzerError(409, "ConflictException", f"Analyzer {name} already exists",
                                          resourceId=name, resourceType="Analyzer")
            analyzers.append({
                "arn": arn, "name": name, "type": kind, "status": "ACTIVE",
                "createdAt": self.clock.now().timestamp(), "tags": body.get("tags") or {},
            })
        return {"arn": arn}

    def list(self, account: str, region: str, kind: str | None) -> dict[str, Any]:
        with self._lock:
            analyzers = list(self._analyzers.get((account, region), []))
        return {"analyzers": [a for a in analyzers if kind is None or a["type"] == kind]}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        from moto.iam.models import get_account_id_from  # moto maps access keys to accounts

        scope = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        account, region = get_account_id_from(scope["key"]), scope["region"]
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        try:
            if (method, path) == ("PUT", "/analyzer"):
                length = int(environ.get("CONTENT_LENGTH") or 0)
                answer = self.create(account, region, json.loads(environ["wsgi.input"].read(length) or b"{}"))
            elif (method, path) == ("GET", "/analyzer"):
                kind = parse_qs(environ.get("QUERY_STRING", "")).get("type", [None])[0]
                answer = self.list(account, region, kind)
            else:
                raise AccessAnalyzerError(404, "ResourceNotFoundException",
                                          f"{method} {path}: the embedded Access Analyzer answers only "
                                          "CreateAnalyzer and ListAnalyzers", resourceId=path, resourceType="Path")
        except AccessAnalyzerError as error:
            return _reply(start_response, error.status, {"message": str(error), **error.fields}, error.code)
        return _reply(start_response, 200, answer)


def _reply(start_response: Callable[..., Any], status: int, body: dict[str, Any], error: str = "") -> list[bytes]:
    payload = json.dumps(body).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    if error:
        headers.append(("x-amzn-ErrorType", error))
    reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 409: "Conflict"}
    start_response(f"{status} {reasons[status]}", headers)
    return [payload]


ACCESS_ANALYZER = AccessAnalyzer()  # one per process, as moto's backends are


class ServiceRouter:
    """A WSGI app sending requests signed for Access Analyzer to ``analyzer``, every other one to ``moto``."""

    def __init__(self, moto: WsgiApp, analyzer: AccessAnalyzer) -> None:
        self.moto, self.analyzer = moto, analyzer

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        scope = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if scope and scope["service"] == SIGNING_NAME:
            return self.analyzer(environ, start_response)
        return self.moto(environ, start_response)
