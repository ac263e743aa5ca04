"""Reading series back: one small interface, ``MetricsReader``, with a PromQL implementation (the embedded
VictoriaMetrics, tested) and an InfluxDB 2.x one (Flux; no InfluxDB 2.x server installs offline, so it is not
exercised by the tests).

A series is named by the measurement and field it was written with (``cloudforge.metrics.writer.Point``):
VictoriaMetrics names it ``<measurement>_<field>``, InfluxDB keeps the two apart.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from influxdb_client import InfluxDBClient


class MetricsReadError(RuntimeError):
    """The time-series server did not answer a query."""


@dataclass(frozen=True, order=True)
class Sample:
    """One value of one series: the series' tags, the time (UTC) and the value."""

    tags: tuple[tuple[str, str], ...]  # sorted (name, value) pairs
    time: datetime
    value: float


class MetricsReader(Protocol):
    def series(self, measurement: str, field: str, tags: Mapping[str, str], start: datetime, end: datetime,
               step: timedelta) -> list[Sample]:
        """The samples of every series of ``measurement``/``field`` whose tags include ``tags``, one per ``step``
        from ``start`` to ``end`` (both included; the latest value at or before each step), sorted."""
        ...


def _sorted_tags(tags: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(tags.items()))


class PromQLReader:
    """Reads through the Prometheus query API (``/api/v1/query_range``) of VictoriaMetrics or Prometheus."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url, self.timeout = url.rstrip("/"), timeout

    def series(self, measurement: str, field: str, tags: Mapping[str, str], start: datetime, end: datetime,
               step: timedelta) -> list[Sample]:
        matchers = [("__name__", f"{measurement}_{field}"), *sorted(tags.items())]
        selector = "{" + ",".join(f"{name}={json.dumps(value)}" for name, value in matchers) + "}"
        query = urllib.parse.urlencode({"query": selector, "start": start.timestamp(), "end": end.timestamp(),
                                        "step": f"{step.total_seconds()}s"})
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/query_range?{query}", timeout=self.timeout) as response:
                result = json.load(response)["data"]["result"]
        except (urllib.error.URLError, OSError, ValueError, KeyError) as error:
            raise MetricsReadError(f"query {selector} at {self.url} failed: {error}") from None
        return sorted(
            Sample(_sorted_tags({k: v for k, v in series["metric"].items() if k != "__name__"}),
                   datetime.fromtimestamp(timestamp, UTC), float(value))
            for series in result
            for timestamp, value in series["values"]
        )


def flux_string(value: str) -> str:
    """A Flux string literal: quotes, backslashes and interpolation (``${``) escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${") + '"'


class InfluxDBReader:
    """Reads from InfluxDB 2.x with Flux. Not runnable offline: no InfluxDB 2.x server installs here."""

    def __init__(self, url: str, token: str, org: str, bucket: str) -> None:
        self.bucket = bucket
        self._client = InfluxDBClient(url=url, token=token, org=org)

    def series(self, measurement: str, field: str, tags: Mapping[str, str], start: datetime, end: datetime,
               step: timedelta) -> list[Sample]:
        filters = " and ".join(
            f"r[{flux_string(name)}] == {flux_string(value)}"
            for name, value in [("_measurement", measurement), ("_field", field), *sorted(tags.items())]
        )
        stop = end + timedelta(milliseconds=1)  # range's stop is exclusive; ours is included
        query = (
            f"from(bucket: {flux_string(self.bucket)})"
            f" |> range(start: {start.astimezone(UTC).isoformat()}, stop: {stop.astimezone(UTC).isoformat()})"
            f" |> filter(fn: (r) => {filters})"
            f" |> aggregateWindow(every: {int(step.total_seconds() * 1000)}ms, fn: last, createEmpty: false,"
            " timeSrc: \"_stop\")"
        )
        hidden = {"result", "table", "_start", "_stop", "_time", "_value", "_field", "_measurement"}
        return sorted(
            Sample(_sorted_tags({k: v for k, v in record.values.items() if k not in hidden}),
                   record.get_time(), float(record.get_value()))
            for table in self._client.query_api().query(query)
            for record in table.records
        )

    def close(self) -> None:
        self._client.close()
