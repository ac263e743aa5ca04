"""POST a JSON body to a notification endpoint and sort the outcome into delivered, retry later, or failed.

Standard-library HTTP on purpose: urllib logs nothing, so a Slack webhook URL (which is itself the secret)
cannot reach a debug log, and every error message is built here and scrubbed of the secrets it is given.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any


class DeliveryError(Exception):
    """A send that did not succeed. ``retryable``: 429, 5xx, timeouts and connection errors."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as an error, never followed: the body must not go anywhere else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, body: dict[str, Any], *, timeout: float, secrets: Iterable[str]) -> None:
    """POST ``body`` as JSON; return on 2xx, otherwise raise DeliveryError (with ``secrets`` blanked out)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "cloudforge-alerts"},
        method="POST",
    )
    secrets = [secret for secret in secrets if secret]
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        message = f"HTTP {exc.code}: {redact(_text(exc), secrets)}".rstrip(": ")
        retry_after = parse_retry_after(exc.headers.get("Retry-After")) if exc.code == 429 else None
        raise DeliveryError(message, retryable=exc.code == 429 or exc.code >= 500, retry_after=retry_after) from None
    except TimeoutError:
        raise DeliveryError(f"timed out after {timeout:g} s", retryable=True) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise DeliveryError(f"timed out after {timeout:g} s", retryable=True) from None
        raise DeliveryError(f"connection failed: {redact(str(exc.reason), secrets)}", retryable=True) from None
    except (ConnectionError, http.client.HTTPException) as exc:
        raise DeliveryError(f"connection failed: {type(exc).__name__}", retryable=True) from None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _text(error: urllib.error.HTTPError, limit: int = 300) -> str:
    """The start of an error response's body on one line (Slack answers e.g. ``invalid_payload``)."""
    try:
        body = error.read(limit * 2).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    return " ".join(body.split())[:limit]
