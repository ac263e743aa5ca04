"""FOCUS billing files from a local directory or an S3 prefix, including AWS Data Exports, as typed slices.

A source is a directory or ``s3://bucket/prefix``. Below it, loose ``.csv``, ``.csv.gz`` and ``.parquet``
files are read as they are. An AWS Data Export (FOCUS table) found below it is read through its manifests:

    <export>/data/BILLING_PERIOD=YYYY-MM/[<execution>/]<export-name>-00001.snappy.parquet (or .csv.gz)
    <export>/metadata/BILLING_PERIOD=YYYY-MM/<export-name>-Manifest.json   {"dataFiles": ["s3://..."], ...}

Only the files a manifest lists are read, since older executions may still lie under ``data/``; and a
manifest is all or nothing, because a billing period read without one of its parts would replace complete
rows with incomplete ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from assets.billing.conform import conform
from assets.billing.focus import BY_NAME

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")
MANIFEST_KEY = re.compile(r"^(?P<export>.*)metadata/BILLING_PERIOD=\d{4}-\d{2}/[^/]*Manifest\.json$")
_FOCUS_NAMES = {name.lower(): name for name in BY_NAME}
SLICE_COLUMNS = ["provider", "BillingAccountId", "billing_period"]  # of a conformed frame: SliceKey's fields


class UnreadableFile(Exception):
    """A file that is not FOCUS data we can read; ``uri`` names it and the message says why."""

    def __init__(self, uri: str, reason: str):
        super().__init__(f"{uri}: {reason}")
        self.uri = uri
        self.reason = reason


@dataclass(frozen=True)
class Delivery:
    """Files that are complete only together: one loose file, or the data files an export manifest lists."""

    uri: str  # the file, or the manifest
    manifest: bool = False


@dataclass(frozen=True, order=True)
class SliceKey:
    """The unit of atomic replacement in raw_billing.focus_charges."""

    provider: str | None
    billing_account_id: str | None
    billing_period: date | None

    def __str__(self) -> str:
        period = self.billing_period.strftime("%Y-%m") if self.billing_period else "?"
        return f"{self.provider or '?'}/{self.billing_account_id or '?'}/{period}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "billing_account_id": self.billing_account_id,
            "billing_period": self.billing_period,
        }


def deliveries(source: str, s3=None) -> list[Delivery]:
    """Everything to read below ``source``, in a stable order; ``s3`` is a boto3 client for s3:// sources."""
    if not source.startswith("s3://"):
        root = Path(source)
        if not root.is_dir():
            raise FileNotFoundError(f"FOCUS source {source} is not a directory")
        files = sorted(str(p) for p in root.rglob("*") if p.is_file() and _is_data(p.name))
        return [Delivery(uri=f) for f in files]
    bucket, prefix = split_s3_uri(source)
    keys = sorted(_list_keys(s3, bucket, prefix))
    manifests = [k for k in keys if MANIFEST_KEY.match(k)]
    export_data = tuple(MANIFEST_KEY.match(k)["export"] + "data/" for k in manifests)
    loose = [k for k in keys if _is_data(k) and not k.startswith(export_data)]
    return [Delivery(uri=f"s3://{bucket}/{k}", manifest=True) for k in manifests] + [
        Delivery(uri=f"s3://{bucket}/{k}") for k in loose
    ]


def read_delivery(delivery: Delivery, s3=None) -> pl.DataFrame:
    """All rows of a delivery, conformed; raises UnreadableFile if any part of it cannot be read."""
    files = _manifest_files(delivery.uri, s3) if delivery.manifest else [delivery.uri]
    frames = [conform(read_focus_file(uri, s3), source_uri=uri) for uri in files]
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame()


def read_focus_file(uri: str, s3=None) -> pl.DataFrame:
    """The raw rows of one file (text for CSV, native types for Parquet) with FOCUS column names."""
    try:
        data = _fetch(uri, s3)
        if uri.lower().endswith(".parquet"):
            frame = pl.read_parquet(data)
        else:
            # Exports write NULL for null; an empty field (quoted or not) is no value either.
            frame = pl.read_csv(data, infer_schema=False, null_values=["NULL"]).with_columns(
                pl.all().replace("", None)
            )
    except UnreadableFile:
        raise
    except Exception as exc:  # the parsers' errors say what is wrong; the file name is added here
        raise UnreadableFile(uri, f"cannot read: {type(exc).__name__}: {exc}") from None
    frame = frame.rename({c: _FOCUS_NAMES[c.lower()] for c in frame.columns if c.lower() in _FOCUS_NAMES})
    if not set(frame.columns) & set(BY_NAME):
        raise UnreadableFile(uri, "not a FOCUS file: none of its columns is a FOCUS column")
    return frame


def split_slices(frame: pl.DataFrame) -> Iterator[tuple[SliceKey, pl.DataFrame]]:
    """The conformed rows grouped by (provider, billing account, billing period), in key order.

    A frame of one slice (a delivery usually is) is yielded as it is: partitioning copies every column.
    """
    if frame.is_empty():
        return
    keys = frame.select(SLICE_COLUMNS).unique()
    if keys.height == 1:
        yield SliceKey(*keys.row(0)), frame
        return
    parts = frame.partition_by(SLICE_COLUMNS, as_dict=True)
    for key in sorted(parts, key=_key_order):
        yield SliceKey(*key), parts[key]


def slices_of(frames: Iterable[pl.DataFrame]) -> dict[SliceKey, list[pl.DataFrame]]:
    """The rows of several conformed frames (deliveries) by slice, in key order, each slice as its parts."""
    parts: dict[SliceKey, list[pl.DataFrame]] = {}
    for frame in frames:
        for key, rows in split_slices(frame):
            parts.setdefault(key, []).append(rows)
    return {key: parts[key] for key in sorted(parts, key=lambda k: _key_order(astuple(k)))}


def _key_order(key: tuple) -> tuple:
    """Keys sort with missing values last."""
    return tuple((value is None, value) for value in key)


def split_s3_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if not bucket:
        raise ValueError(f"not an S3 URI: {uri!r}")
    return bucket, key


def _list_keys(s3, bucket: str, prefix: str) -> Iterator[str]:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            yield item["Key"]


def _is_data(name: str) -> bool:
    return name.lower().endswith(DATA_SUFFIXES)


def _manifest_files(uri: str, s3) -> list[str]:
    try:
        manifest = json.loads(_fetch(uri, s3))
        files = manifest["dataFiles"]
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableFile(uri, f"not a Data Exports manifest ({type(exc).__name__}: {exc})") from None
    if not isinstance(files, list) or not all(isinstance(f, str) and f.startswith("s3://") for f in files):
        raise UnreadableFile(uri, "manifest dataFiles is not a list of s3:// URIs")
    return files


def _fetch(uri: str, s3) -> bytes:
    if not uri.startswith("s3://"):
        return Path(uri).read_bytes()
    bucket, key = split_s3_uri(uri)
    try:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        raise UnreadableFile(uri, "listed but missing (NoSuchKey)") from None
