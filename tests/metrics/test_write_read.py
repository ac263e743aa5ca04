"""Points written through the writer to the real VictoriaMetrics and read back through the PromQL reader."""

from __future__ import annotations

import json
import math
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from support.replay.server import Exchange, ReplayServer

from cloudforge.local.timeseries import EmbeddedTimeseries
from cloudforge.metrics.reader import PromQLReader, Sample
from cloudforge.metrics.writer import SENDERS, MetricsWriteError, MetricsWriter, Point, frame_lines, line

T0 = datetime(2026, 3, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def exported(timeseries: EmbeddedTimeseries, metric: str) -> list[dict]:
    """Every raw sample the server stores for ``metric`` (the export API: no step, no lookback)."""
    query = urllib.parse.urlencode({"match[]": f'{{__name__="{metric}"}}'})
    with urllib.request.urlopen(f"{timeseries.url}/api/v1/export?{query}") as response:
        return [json.loads(series) for series in response.read().decode().splitlines()]


def cpu_points(measurement: str, resources: list[str], minutes: int) -> list[Point]:
    """Usage ``r * 100 + m + 0.25`` for resource number r at minute m: every value tells where it belongs."""
    return [
        Point(measurement, {"resource": resource, "account": "111111111111"},
              {"usage": r * 100 + m + 0.25}, T0 + m * MINUTE)
        for r, resource in enumerate(resources)
        for m in range(minutes)
    ]


def test_points_are_read_back_with_their_exact_values(timeseries: EmbeddedTimeseries) -> None:
    resources = ["i-0a", "arn:aws:ec2:us-east-1:111111111111:volume/vol 1,a=b"]  # escaped in line protocol
    with MetricsWriter(timeseries.url, batch_lines=4) as writer:  # 10 points: three batches
        assert writer.write(cpu_points("readback", resources, minutes=5)) == 10
    timeseries.force_flush()

    reader = PromQLReader(timeseries.url)
    second = reader.series("readback", "usage", {"resource": resources[1]}, T0, T0 + 4 * MINUTE, MINUTE)
    assert second == [
        Sample((("account", "111111111111"), ("resource", resources[1])), T0 + m * MINUTE, 100 + m + 0.25)
        for m in range(5)
    ]
    both = reader.series("readback", "usage", {"account": "111111111111"}, T0 + 3 * MINUTE, T0 + 4 * MINUTE,
                         MINUTE)
    assert [(dict(sample.tags)["resource"], sample.time, sample.value) for sample in both] == [
        (resources[1], T0 + 3 * MINUTE, 103.25), (resources[1], T0 + 4 * MINUTE, 104.25),
        ("i-0a", T0 + 3 * MINUTE, 3.25), ("i-0a", T0 + 4 * MINUTE, 4.25),
    ]
    assert reader.series("readback", "usage", {"account": "222222222222"}, T0, T0 + 4 * MINUTE, MINUTE) == []


def test_writing_the_same_points_again_keeps_one_point_each(timeseries: EmbeddedTimeseries) -> None:
    points = cpu_points("rewritten", ["i-0a", "i-0b"], minutes=3)
    with MetricsWriter(timeseries.url) as writer:
        writer.write(points)
        writer.write(points)
    timeseries.force_flush()

    stored = sorted((series["metric"]["resource"], series["timestamps"], series["values"])
                    for series in exported(timeseries, "rewritten_usage"))
    minutes = [int((T0 + m * MINUTE).timestamp() * 1000) for m in range(3)]
    assert stored == [("i-0a", minutes, [0.25, 1.25, 2.25]), ("i-0b", minutes, [100.25, 101.25, 102.25])]


GOOD = Point("refused", {"resource": "i-0a"}, {"usage": 1.0}, T0)


@pytest.mark.parametrize(("bad", "message"), [
    (Point("cpu usage", {}, {"usage": 1.0}, T0), "name 'cpu usage' is not a letter"),
    (Point("cpu", {"__name__": "x"}, {"usage": 1.0}, T0), "name '__name__' is not a letter"),
    (Point("cpu", {}, {"usage%": 1.0}, T0), "name 'usage%' is not a letter"),
    (Point("cpu", {}, {}, T0), "no field"),
    (Point("cpu", {"resource": ""}, {"usage": 1.0}, T0), "tag 'resource' must be a non-empty string"),
    (Point("cpu", {"resource": "i-0a\ncpu x=1"}, {"usage": 1.0}, T0), "tag 'resource' must be a non-empty string"),
    (Point("cpu", {}, {"usage": "high"}, T0), "field 'usage' must be a finite number, not 'high'"),
    (Point("cpu", {}, {"usage": True}, T0), "field 'usage' must be a finite number, not True"),
    (Point("cpu", {}, {"usage": math.nan}, T0), "field 'usage' must be a finite number, not nan"),
    (Point("cpu", {}, {"usage": 1.0}, datetime(2026, 3, 1)), "time must be a timezone-aware datetime"),
])
def test_a_malformed_point_is_refused_before_anything_is_sent(
    timeseries: EmbeddedTimeseries, bad: Point, message: str
) -> None:
    with MetricsWriter(timeseries.url) as writer, pytest.raises(MetricsWriteError, match=message) as refused:
        writer.write([GOOD, bad])
    assert f"point {bad.measurement!r}" in str(refused.value)  # names the point
    timeseries.force_flush()
    assert exported(timeseries, "refused_usage") == []  # the good point of the batch was not sent either


def test_line_protocol_escapes_tag_values_and_sorts_tags() -> None:
    point = Point("cpu", {"z": "a b", "a": "x,y=z\\"}, {"usage": 2, "max": 3.5}, T0 + timedelta(milliseconds=7))
    assert line(point) == f"cpu,a=x\\,y\\=z\\\\,z=a\\ b usage=2.0,max=3.5 {int(T0.timestamp()) * 1000 + 7}"


def test_a_refusing_server_is_named_without_the_token(timeseries: EmbeddedTimeseries) -> None:
    with MetricsWriter(f"{timeseries.url}/no-such-prefix", token="s3cret-token") as writer:
        with pytest.raises(MetricsWriteError, match=r"refused a batch of points: HTTP 4\d\d") as refused:
            writer.write([GOOD])
    assert "s3cret-token" not in str(refused.value)


def test_the_first_refused_batch_stops_the_sending() -> None:
    points = cpu_points("stopped", ["i-0a"], 50)
    refused = pytest.raises(MetricsWriteError, match=r"refused a batch of points: HTTP 400")
    bad_request = Exchange("POST", "/api/v2/write", status=400)
    with ReplayServer([bad_request] * 50) as receiver, MetricsWriter(receiver.url, batch_lines=1) as writer, refused:
        writer.write(points)  # 50 batches of one point
    # the refusal of the first batch is seen before a third is sent: only the batches already in flight went
    assert 1 <= len(receiver.received) <= SENDERS


def test_frame_lines_are_the_lines_of_the_same_points() -> None:
    times = [T0 + timedelta(milliseconds=7), T0 + MINUTE]
    frame = pl.DataFrame({"a": ["x,y=z\\", "i-0a"], "z": ["a b", "q"], "field": ["usage", "max"], "value": [2.0, 3.5],
                          "time": times})
    assert frame_lines(frame, "cpu", ["z", "a"], "field", "value", "time") == [
        line(Point("cpu", {"z": "a b", "a": "x,y=z\\"}, {"usage": 2.0}, times[0])),
        line(Point("cpu", {"z": "q", "a": "i-0a"}, {"max": 3.5}, times[1])),
    ]


@pytest.mark.parametrize(("column", "bad", "message"), [
    ("field", "usage%", "name 'usage%' is not a letter"),
    ("a", "", "tag 'a' must be a non-empty string on one line"),
    ("a", "i-0a\ncpu x=1", "tag 'a' must be a non-empty string on one line"),
    ("value", math.inf, "field must be a finite number, not inf"),
    ("value", None, "field must be a finite number, not None"),
])
def test_frame_lines_refuse_a_bad_row_naming_it(column: str, bad: object, message: str) -> None:
    rows = {"a": ["i-0a", "i-0b"], "field": ["usage", "usage"], "value": [1.0, 2.0], "time": [T0, T0]}
    rows[column] = [rows[column][0], bad]
    with pytest.raises(MetricsWriteError, match=message):
        frame_lines(pl.DataFrame(rows), "cpu", ["a"], "field", "value", "time")
