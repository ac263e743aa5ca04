"""Why a slice failed, as an (error_code, message) pair safe to store, log and show.

Codes are AWS's own where AWS sent one (AccessDenied, UnauthorizedOperation, ThrottlingException, ...),
otherwise a short name for the failure (Timeout, EndpointConnectionError, NoCredentials, the exception class).
Messages are scrubbed of anything that looks like a credential before they leave this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

MAX_MESSAGE = 1000
REDACTED = "[redacted]"

# (pattern, replacement): what an AWS credential looks like wherever it may be echoed.
_CREDENTIAL_PATTERNS = [
    (re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b"), REDACTED),  # access key ids, long-term and temporary
    (
        re.compile(
            r"\b(Credential|Signature|X-Amz-Security-Token|X-Amz-Credential|X-Amz-Signature)=[^\s,&]+", re.I
        ),
        rf"\1={REDACTED}",
    ),
    (re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40,}(?![A-Za-z0-9/+=])"), REDACTED),  # secrets, tokens
    (re.compile(r"://[^/\s@]+@"), f"://{REDACTED}@"),  # user:password@ in URLs
]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without the given secret values nor anything shaped like an AWS credential."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _CREDENTIAL_PATTERNS:
        text = pattern.sub(replacement, text)
    return text[:MAX_MESSAGE]


def describe_error(exc: BaseException, secrets: Iterable[str] = ()) -> tuple[str, str]:
    """(error_code, redacted message) for an exception raised while collecting a slice."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code") or "ClientError"
    elif isinstance(exc, (ConnectTimeoutError, ReadTimeoutError)):
        code = "Timeout"
    elif isinstance(exc, EndpointConnectionError):
        code = "EndpointConnectionError"
    elif isinstance(exc, NoCredentialsError):
        code = "NoCredentials"
    else:
        code = type(exc).__name__
    return code, redact(str(exc) or code, secrets)
