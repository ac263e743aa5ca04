"""Type a FOCUS frame from any source into the loaded shape, remembering what could not be typed.

Sources disagree on types: CSV is all text, AWS Parquet has doubles and maps, SDK adapters hand over Python
values. ``conform`` gives every FOCUS column its one type (exact decimals, UTC timestamps, text, JSON text),
adds the load metadata that derives from the row (line_item_id, extensions, provider, billing_period), and
never drops a bad value silently: a value that does not parse becomes null and its column is named in
``_unparsed``, which the validation gate turns into a quarantine reason or a warning. An allowed value in
another letter case (``usage``) takes its canonical spelling (``Usage``) and is named in ``_normalised``.
"""

from __future__ import annotations

import json

import polars as pl

from assets.billing.focus import LINE_ITEM_ID, provider_slug
from cloudforge.focus import BY_NAME, COLUMNS, DATETIME, DECIMAL, DTYPES, FocusColumn

# Working columns that travel with the rows until the load; never loaded.
SOURCE_URI = "_source_uri"  # file, object or query the row came from (loaded as source_uri)
SOURCE_ROW = "_source_row"  # 1-based record number within that source
UNPARSED = "_unparsed"  # "BilledCost='abc'; Tags='{'": present values that are not of the column's type
ABSENT = "_absent"  # "ChargeFrequency, ...": FOCUS columns the source does not have at all
NORMALISED = "_normalised"  # "ChargeCategory='usage'": values given their canonical spelling, as delivered

HASH_SEEDS = (0x46_4F_43_55_53, 0x6C_69_6E_65)  # two independent 64-bit row hashes

# Datetime texts seen in FOCUS exports, tried in order: ISO 8601 with Z or an offset (with or without
# seconds, e.g. Azure's 2024-01-01T00:00Z), then without a zone (taken as UTC), then a bare date.
ZONED_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M%#z")
NAIVE_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M")


def conform(frame: pl.DataFrame, *, source_uri: str) -> pl.DataFrame:
    """The frame with every FOCUS column typed, absent ones null, plus load metadata and working columns."""
    if SOURCE_URI not in frame.columns:
        frame = frame.with_columns(pl.lit(source_uri).alias(SOURCE_URI))
    if SOURCE_ROW not in frame.columns:
        frame = frame.with_row_index(SOURCE_ROW, offset=1)
    schema = frame.schema
    present = [c for c in COLUMNS if c.name in schema]
    typed = {c.name: _typed(frame, c) for c in present}
    unparsed = [
        pl.when(pl.col(c.name).is_not_null() & typed[c.name].is_null()).then(_shown(c.name, schema[c.name]))
        for c in present
        if c.kind != "string"
    ]
    normalised = [
        pl.when(typed[c.name].ne_missing(pl.col(c.name).cast(pl.String))).then(_shown(c.name, schema[c.name]))
        for c in present
        if c.allowed
    ]
    extras = [name for name in frame.columns if _is_extension(name)]
    source_id = pl.col(LINE_ITEM_ID).cast(pl.String) if LINE_ITEM_ID in schema else pl.lit(None, pl.String)
    out = frame.select(
        *(typed.get(c.name, pl.lit(None, DTYPES[c.kind])).alias(c.name) for c in COLUMNS),
        _extensions(extras, schema).alias("extensions"),
        source_id.alias(LINE_ITEM_ID),
        pl.col(SOURCE_URI).cast(pl.String),
        pl.col(SOURCE_ROW).cast(pl.Int64),
        _listed(unparsed).alias(UNPARSED),
        _listed(normalised).alias(NORMALISED),
        pl.lit(", ".join(c.name for c in COLUMNS if c.name not in schema) or None, pl.String).alias(ABSENT),
    ).with_columns(
        provider_slug(pl.col("ProviderName")).alias("provider"),
        pl.col("BillingPeriodStart").dt.date().alias("billing_period"),
    )
    return out.with_columns(line_item_ids(out).alias("line_item_id")).drop(LINE_ITEM_ID)


def line_item_ids(frame: pl.DataFrame) -> pl.Series:
    """The source's x_LineItemId; else a 128-bit hash of the row's FOCUS values and extensions, as digits.

    FOCUS has no line item id, so a row is identified by its content: two identical rows in one slice are the
    same charge delivered twice, which the gate reports as duplicate line item ids. The hash is polars' row
    hash with two fixed seeds: the same for the same content under the locked polars version. A restated
    charge gets a new id, so models downstream rebuild a slice by its key, not row by row.
    """
    content = frame.select(*(c.name for c in COLUMNS), "extensions")
    first, second = (content.hash_rows(seed).cast(pl.String).str.zfill(20) for seed in HASH_SEEDS)
    return frame.get_column(LINE_ITEM_ID).fill_null(first + second)


def _listed(entries: list[pl.Expr]) -> pl.Expr:
    """The entries a row has, joined by '; ', or null."""
    if not entries:
        return pl.lit(None, pl.String)
    return pl.concat_str(entries, separator="; ", ignore_nulls=True).replace("", None)


def _shown(name: str, dtype: pl.DataType) -> pl.Expr:
    """BilledCost='1,5' for a value that did not parse (its text cut at 60 characters)."""
    if dtype.is_nested():
        return pl.lit(name)
    return pl.concat_str([pl.lit(f"{name}='"), pl.col(name).cast(pl.String).str.head(60), pl.lit("'")])


def _is_extension(name: str) -> bool:
    """Columns outside FOCUS (x_ ones, and any other the source adds) are kept as extensions."""
    return name not in BY_NAME and name != LINE_ITEM_ID and not name.startswith("_")


def _typed(frame: pl.DataFrame, column: FocusColumn) -> pl.Expr:
    value, dtype = pl.col(column.name), frame.schema[column.name]
    if column.kind == "decimal":
        return _decimal(value, dtype)
    if column.kind == "datetime":
        return _datetime(value, dtype)
    if column.kind == "json":
        return _json_object(frame.get_column(column.name))
    text = value if dtype == pl.String else value.cast(pl.String)
    return _canonical(text, column.allowed) if column.allowed else text


def _canonical(text: pl.Expr, allowed: tuple[str, ...]) -> pl.Expr:
    """An allowed value in another letter case in its canonical spelling ('usage-based' -> 'Usage-Based')."""
    return text.str.to_lowercase().replace_strict({a.lower(): a for a in allowed}, default=text)


def _decimal(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Text parses exactly (plain or scientific notation); numbers, Parquet doubles included, are rounded
    to the 10 decimals of DECIMAL, as is text with more decimals than that."""
    if dtype.is_numeric():
        return value.cast(DECIMAL, strict=False)
    return value.cast(pl.String).str.strip_chars().str.to_decimal(scale=DECIMAL.scale)


def _datetime(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if isinstance(dtype, pl.Datetime):
        in_utc = value.dt.convert_time_zone("UTC") if dtype.time_zone else value.dt.replace_time_zone("UTC")
        return in_utc.cast(DATETIME)
    if dtype == pl.Date:
        return value.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    text = value.cast(pl.String).str.strip_chars().str.replace(" ", "T", literal=True)
    zoned = [text.str.to_datetime(f, strict=False, time_unit="us") for f in ZONED_FORMATS]
    naive = [text.str.to_datetime(f, strict=False, time_unit="us", time_zone="UTC") for f in NAIVE_FORMATS]
    date = text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    return pl.coalesce(*(z.dt.convert_time_zone("UTC") for z in zoned), *naive, date)


def _json_object(values: pl.Series) -> pl.Expr:
    """JSON object text: kept when it is one (else null), built from a Parquet map or struct.

    Texts are parsed once per distinct value: tag sets repeat across rows.
    """
    value, dtype = pl.col(values.name), values.dtype
    if _is_map(dtype):
        return _map_to_json(value, dtype)
    if isinstance(dtype, pl.Struct):
        return value.struct.json_encode()
    texts = values.cast(pl.String).unique().drop_nulls()
    objects = texts.filter(
        texts.str.strip_chars().str.starts_with("{") & texts.str.json_path_match("$").is_not_null()
    )
    return pl.when(value.cast(pl.String).is_in(objects.implode())).then(value.cast(pl.String))


def _extensions(names: list[str], schema: pl.Schema) -> pl.Expr:
    """The extension columns as one JSON object, e.g. {"x_ServiceCode":"AmazonEC2"}; null without any."""
    if not names:
        return pl.lit(None, pl.String)
    members = [pl.concat_str([pl.lit(json.dumps(n) + ":"), _json_value(pl.col(n), schema[n])]) for n in names]
    return pl.concat_str([pl.lit("{"), pl.concat_str(members, separator=","), pl.lit("}")])


def _json_value(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Any value as JSON text (null -> null); maps become objects."""
    if _is_map(dtype):
        return _map_to_json(value, dtype).fill_null("null")
    return pl.struct(value.alias("v")).struct.json_encode().str.slice(len('{"v":')).str.head(-1)


def _map_to_json(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A Parquet map (polars Map, or a list of key/value structs) -> JSON object text."""
    if isinstance(dtype, pl.Map):
        dtype = pl.List(pl.Struct({"key": dtype.key, "value": dtype.value}))
        value = value.cast(dtype)
    key, item = pl.element().struct.field("key"), pl.element().struct.field("value")
    fields = {f.name: f.dtype for f in dtype.inner.fields}
    member = pl.concat_str([_json_value(key, fields["key"]), pl.lit(":"), _json_value(item, fields["value"])])
    return pl.concat_str([pl.lit("{"), value.list.eval(member).list.join(","), pl.lit("}")])


def _is_map(dtype: pl.DataType) -> bool:
    return isinstance(dtype, pl.Map) or (
        isinstance(dtype, pl.List)
        and isinstance(dtype.inner, pl.Struct)
        and [f.name for f in dtype.inner.fields] == ["key", "value"]
    )
