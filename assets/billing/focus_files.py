"""FOCUS billing files from a local directory or an S3 prefix, including AWS Data Exports, as typed slices.

A source is a directory or ``s3://bucket/prefix``. Below it, loose ``.csv``, ``.csv.gz`` and ``.parquet``
files are read as they are. An AWS Data Export (FOCUS table) found below it is read through its manifests:

    <export>/data/BILLING_PERIOD=YYYY-MM/[<execution>/]<export-name>-00001.snappy.parquet (or .csv.gz)
    <export>/metadata/BILLING_PERIOD=YYYY-MM/<export-name>-Manifest.json   {"dataFiles": ["s3://..."], ...}

Only the files a manifest lists are read, since older executions may still lie under ``data/``; and a
manifest is all or nothing, because a billing period read without one of its parts would replace complete
rows with incomplete ones.

Hostile files are bounded (``ReadOptions``): a compressed file is expanded while it streams to a temporary
file and refused once it passes ``max_expanded_bytes``, so a gzip bomb never reaches memory; a link that leads
out of a source directory is not followed unless ``follow_symlinks``; a header naming a FOCUS column twice is
refused, since which of the two values is the charge's cannot be known.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import astuple, dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import polars as pl

from assets.billing.conform import conform
from cloudforge.focus import BY_NAME

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet")
MANIFEST_KEY = re.compile(r"^(?P<export>.*)metadata/BILLING_PERIOD=\d{4}-\d{2}/[^/]*Manifest\.json$")
_FOCUS_NAMES = {name.lower(): name for name in BY_NAME}
SLICE_COLUMNS = ["provider", "BillingAccountId", "billing_period"]  # of a conformed frame: SliceKey's fields
DEFAULT_MAX_EXPANDED_BYTES = 2 * 1024**3  # settings billing.max_expanded_bytes
CHUNK_BYTES = 1024**2  # read, and expand, a file a MiB at a time
GZIP_OR_ZLIB = zlib.MAX_WBITS | 32  # zlib's window bits that accept either header
# How polars names the second of two CSV columns with the same name (BilledCost, BilledCost_duplicated_0).
REPEATED_NAME = re.compile(r"_duplicated_\d+$")


@dataclass(frozen=True)
class ReadOptions:
    """Bounds of the reader (settings ``billing``): the most bytes one file may expand to, and whether links
    leading out of a source directory are followed."""

    max_expanded_bytes: int = DEFAULT_MAX_EXPANDED_BYTES
    follow_symlinks: bool = False


class UnreadableFile(Exception):
    """A file that is not FOCUS data we can read; ``uri`` names it, ``rule`` the check it fails, and the
    message says why."""

    def __init__(self, uri: str, reason: str, rule: str = "readable"):
        super().__init__(f"{uri}: {reason}")
        self.uri = uri
        self.reason = reason
        self.rule = rule


@dataclass(frozen=True)
class Delivery:
    """Files that are complete only together: one loose file, or the data files an export manifest lists."""

    uri: str  # the file, or the manifest
    manifest: bool = False
    skipped: str | None = None  # why it is not read: a link out of the source directory


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


def deliveries(source: str, s3=None, options: ReadOptions = ReadOptions()) -> list[Delivery]:
    """Everything to read below ``source``, in a stable order; ``s3`` is a boto3 client for s3:// sources.

    A file that is a link to somewhere outside a source directory is listed as skipped unless
    ``options.follow_symlinks``.
    """
    if not source.startswith("s3://"):
        root = Path(source)
        if not root.is_dir():
            raise FileNotFoundError(f"FOCUS source {source} is not a directory")
        inside = root.resolve()
        files = sorted(p for p in root.rglob("*") if p.is_file() and _is_data(p.name))
        return [
            Delivery(uri=str(f))
            if options.follow_symlinks or f.resolve().is_relative_to(inside)
            else Delivery(
                uri=str(f),
                skipped=f"a link to {f.resolve()}, outside the source directory; not followed "
                "(billing.follow_symlinks)",
            )
            for f in files
        ]
    bucket, prefix = split_s3_uri(source)
    keys = sorted(_list_keys(s3, bucket, prefix))
    manifests = [k for k in keys if MANIFEST_KEY.match(k)]
    export_data = tuple(MANIFEST_KEY.match(k)["export"] + "data/" for k in manifests)
    loose = [k for k in keys if _is_data(k) and not k.startswith(export_data)]
    return [Delivery(uri=f"s3://{bucket}/{k}", manifest=True) for k in manifests] + [
        Delivery(uri=f"s3://{bucket}/{k}") for k in loose
    ]


def read_delivery(delivery: Delivery, s3=None, options: ReadOptions = ReadOptions()) -> pl.DataFrame:
    """All rows of a delivery, conformed; raises UnreadableFile if any part of it cannot be read."""
    files = _manifest_files(delivery.uri, s3, options) if delivery.manifest else [delivery.uri]
    frames = [conform(read_focus_file(uri, s3, options), source_uri=uri) for uri in files]
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame()


def read_focus_file(uri: str, s3=None, options: ReadOptions = ReadOptions()) -> pl.DataFrame:
    """The raw rows of one file (text for CSV, native types for Parquet) with FOCUS column names."""
    try:
        with _expanded_file(uri, s3, options.max_expanded_bytes) as path:
            if uri.lower().endswith(".parquet"):
                frame = pl.read_parquet(path)
            else:
                # Exports write NULL for null; an empty field (quoted or not) is no value either.
                frame = pl.read_csv(path, infer_schema=False, null_values=["NULL"]).with_columns(
                    pl.all().replace("", None)
                )
    except UnreadableFile:
        raise
    except Exception as exc:  # the parsers' errors say what is wrong; the file name is added here
        raise UnreadableFile(uri, f"cannot read: {type(exc).__name__}: {exc}") from None
    _refuse_repeated_columns(uri, frame.columns)
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


def _refuse_repeated_columns(uri: str, columns: list[str]) -> None:
    """A FOCUS column named twice (in any letter case) leaves it ambiguous which value is the charge's."""
    given: dict[str, list[str]] = {}
    for column in columns:
        name = REPEATED_NAME.sub("", column)
        if name != column and name not in columns:  # a column that merely ends like a repeated one
            name = column
        if name.lower() in _FOCUS_NAMES:
            given.setdefault(_FOCUS_NAMES[name.lower()], []).append(name)
    repeated = [f"{focus} ({', '.join(names)})" for focus, names in given.items() if len(names) > 1]
    if repeated:
        raise UnreadableFile(
            uri,
            f"the header names {', '.join(repeated)} more than once, "
            "so which value is the charge's is ambiguous",
            rule="duplicate_column",
        )


def _manifest_files(uri: str, s3, options: ReadOptions) -> list[str]:
    try:
        manifest = json.loads(_read_bounded(uri, s3, options.max_expanded_bytes))
        files = manifest["dataFiles"]
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableFile(uri, f"not a Data Exports manifest ({type(exc).__name__}: {exc})") from None
    if not isinstance(files, list) or not all(isinstance(f, str) and f.startswith("s3://") for f in files):
        raise UnreadableFile(uri, "manifest dataFiles is not a list of s3:// URIs")
    return files


def _read_bounded(uri: str, s3, limit: int) -> bytes:
    """A small file (a manifest) in memory, expanded if compressed, at most ``limit`` bytes."""
    data = io.BytesIO()
    with _open(uri, s3) as stream:
        _expand(uri, stream, data, limit)
    return data.getvalue()


@contextmanager
def _expanded_file(uri: str, s3, limit: int) -> Iterator[str]:
    """The file as a local uncompressed path for polars, which would expand gzip, zlib or zstd in memory.

    A local uncompressed file is read where it is; anything else streams into a temporary file, expanded on
    the way, and is refused (rule ``expanded_size``) once it passes ``limit`` bytes.
    """
    if not uri.startswith("s3://"):
        with open(uri, "rb") as stream:
            compressed = _compression(stream.read(4)) is not None
        if not compressed:
            if os.path.getsize(uri) > limit:
                raise _too_large(uri, limit)
            yield uri
            return
    with tempfile.NamedTemporaryFile(prefix="cloudforge-focus-") as spooled:
        with _open(uri, s3) as stream:
            _expand(uri, stream, spooled, limit)
        spooled.flush()
        spooled.seek(0)
        if _compression(spooled.read(4)):
            raise UnreadableFile(uri, "compressed data inside compressed data; one layer of gzip is read")
        yield spooled.name


@contextmanager
def _open(uri: str, s3) -> Iterator[IO[bytes]]:
    if not uri.startswith("s3://"):
        with open(uri, "rb") as stream:
            yield stream
        return
    bucket, key = split_s3_uri(uri)
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    except s3.exceptions.NoSuchKey:
        raise UnreadableFile(uri, "listed but missing (NoSuchKey)") from None
    with closing(body):
        yield body


def _expand(uri: str, stream: IO[bytes], target: IO[bytes], limit: int) -> None:
    """Copy ``stream`` to ``target``, expanding gzip (or zlib) a MiB at a time; refused past ``limit``."""
    first = stream.read(CHUNK_BYTES)
    chunks = itertools.chain([first], iter(lambda: stream.read(CHUNK_BYTES), b""))
    kind = _compression(first)
    if kind == "zstd":
        raise UnreadableFile(uri, "zstd-compressed; only gzip is read")
    written = 0

    def write(data: bytes) -> None:
        nonlocal written
        written += len(data)
        if written > limit:
            raise _too_large(uri, limit)
        target.write(data)

    if kind is None:
        for chunk in chunks:
            write(chunk)
        return
    expander = zlib.decompressobj(GZIP_OR_ZLIB)
    for chunk in chunks:
        while chunk:
            write(expander.decompress(chunk, CHUNK_BYTES))  # never more than a MiB out of one call
            chunk = expander.unconsumed_tail
            if expander.eof and expander.unused_data:  # the next member of a multi-member gzip
                chunk, expander = expander.unused_data + chunk, zlib.decompressobj(GZIP_OR_ZLIB)
    write(expander.flush())
    if not expander.eof:
        raise UnreadableFile(uri, "cannot read: the compressed data ends early (truncated)")


def _compression(head: bytes) -> str | None:
    """The compression polars would undo on its own, by the magic bytes it looks for."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head[:1] == b"\x78" and head[1:2] in (b"\x01", b"\x5e", b"\x9c", b"\xda"):
        return "zlib"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    return None


def _too_large(uri: str, limit: int) -> UnreadableFile:
    return UnreadableFile(
        uri, f"expands to more than {limit:,} bytes (billing.max_expanded_bytes)", rule="expanded_size"
    )
