"""Where state files are: every ``*.tfstate`` below a local directory or an ``s3://bucket/prefix``.

The S3 backend keeps the default workspace at its ``key`` and every other workspace at
``env:/<workspace>/<key>`` (``workspace_key_prefix`` defaults to ``env:``), at the root of the bucket, so an
S3 source also lists ``env:/*/<prefix>...``.
"""

from __future__ import annotations

from pathlib import Path

from assets.billing.focus_files import _list_keys, split_s3_uri  # S3 listing is the same for both

STATE_SUFFIX = ".tfstate"
WORKSPACE_PREFIX = "env:/"


def state_files(source: str, s3=None) -> list[str]:
    """The state files of ``source`` (a file, a directory, or an S3 prefix read with the boto3 client ``s3``)."""
    if not source.startswith("s3://"):
        path = Path(source).expanduser()
        if path.is_file():
            return [str(path)]
        if not path.is_dir():
            raise FileNotFoundError(f"Terraform state source {source} is neither a directory nor a file")
        return sorted(str(p) for p in path.rglob(f"*{STATE_SUFFIX}") if p.is_file())
    bucket, prefix = split_s3_uri(source)
    keys = {key for key in _list_keys(s3, bucket, prefix) if key.endswith(STATE_SUFFIX)}
    if not prefix.startswith(WORKSPACE_PREFIX):
        keys |= {
            key for key in _list_keys(s3, bucket, WORKSPACE_PREFIX)
            if key.endswith(STATE_SUFFIX) and key.removeprefix(WORKSPACE_PREFIX).partition("/")[2].startswith(prefix)
        }
    return [f"s3://{bucket}/{key}" for key in sorted(keys)]


def workspace(uri: str) -> str:
    """The workspace an S3 backend state belongs to: the name under ``env:/``, else ``default``."""
    if uri.startswith("s3://"):
        key = split_s3_uri(uri)[1]
        if key.startswith(WORKSPACE_PREFIX):
            return key.removeprefix(WORKSPACE_PREFIX).partition("/")[0]
    return "default"


def read_state_file(uri: str, s3=None) -> bytes:
    if not uri.startswith("s3://"):
        return Path(uri).read_bytes()
    bucket, key = split_s3_uri(uri)
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()

