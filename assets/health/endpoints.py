"""HTTP endpoint checks (``health.endpoints``): each endpoint is asked with its method and judged by its
status code and timeout; due ones only, so a schedule running every minute honours each one's interval."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg

from assets.health.store import CheckResult, record_slice
from cloudforge.settings import HealthEndpoint
from cloudforge.warehouse import ensure_schema

SLICE_KEY = "endpoints"
LAST_CHECKED = """
    SELECT resource_id, max(checked_at) FROM raw_health.checks WHERE check_kind = 'http_endpoint' GROUP BY resource_id
"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the endpoint's answer, judged against the expected status, not followed."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def check_endpoint(endpoint: HealthEndpoint) -> CheckResult:
    """Ask the endpoint once: healthy when it answers the expected status in time."""
    request = urllib.request.Request(endpoint.url, method=endpoint.method,
                                     headers={"User-Agent": "cloudforge-health"})
    started = time.monotonic()
    code: int | None = None
    try:
        with _OPENER.open(request, timeout=endpoint.timeout_seconds) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code = exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        detail = f"timed out after {endpoint.timeout_seconds:g} s" if isinstance(reason, TimeoutError) \
            else f"no answer: {reason}"
        return CheckResult("http_endpoint", None, None, None, endpoint.name, endpoint.url, "unhealthy", detail)
    elapsed_ms = round((time.monotonic() - started) * 1000, 1)
    healthy = code == endpoint.expected_status
    detail = f"HTTP {code}" + ("" if healthy else f", expected {endpoint.expected_status}")
    return CheckResult("http_endpoint", None, None, None, endpoint.name, endpoint.url,
                       "healthy" if healthy else "unhealthy", detail, elapsed_ms)


def due_endpoints(conn: psycopg.Connection, endpoints: Sequence[HealthEndpoint], now: datetime) -> list[HealthEndpoint]:
    """The endpoints whose interval has passed since their last check (never checked: due)."""
    ensure_schema(conn)
    last = dict(conn.execute(LAST_CHECKED).fetchall())
    return [e for e in endpoints
            if e.name not in last or now - last[e.name] >= timedelta(seconds=e.interval_seconds)]


def run_endpoint_checks(conn: psycopg.Connection, endpoints: Sequence[HealthEndpoint], now: datetime,
                        *, only_due: bool = True) -> list[CheckResult]:
    """Check the (due) endpoints and record them as one run of the ``endpoints`` slice."""
    chosen = due_endpoints(conn, endpoints, now) if only_due else list(endpoints)
    results = [check_endpoint(endpoint) for endpoint in chosen]
    if results:
        record_slice(conn, SLICE_KEY, results, now)
    return results
