"""Targets judge a figure by its ratio to a reference; `cloudforge bench` fails naming each one missed."""

from __future__ import annotations

import click
import pytest

from benchmarks.common import Target, judge
from cloudforge.cli.bench import exit_on_missed_targets

THROUGHPUT = Target(
    "load / plain COPY", figure=30_000, reference=50_000, reference_name="plain COPY", unit="rows/s", bound=0.6,
    higher_is_better=True,
)  # 0.60x: met, just
BUILD = Target(
    "incremental / full", figure=9, reference=32, reference_name="full build", unit="s", bound=0.25,
    higher_is_better=False,
)  # 0.28x: missed
PAGE = Target(
    "page cold", figure=1_500, reference=2_000, reference_name="limit", unit="ms", bound=1, higher_is_better=False
)  # 0.75x: met


def test_a_target_is_met_within_its_bound_on_its_side():
    assert (THROUGHPUT.met, BUILD.met, PAGE.met) == (True, False, True)
    assert BUILD.ratio == 9 / 32


def test_judge_prints_figure_reference_and_ratio_of_each_and_names_the_missed():
    printed: list[str] = []

    assert judge([THROUGHPUT, BUILD, PAGE], printed.append) == ["incremental / full"]

    assert printed == [
        "targets:",
        "  met    load / plain COPY: 30,000.00 rows/s against plain COPY 50,000.00 rows/s: 0.60x (target >= 0.6x)",
        "  MISSED incremental / full: 9.00 s against full build 32.00 s: 0.28x (target <= 0.25x)",
        "  met    page cold: 1,500.00 ms against limit 2,000.00 ms: 0.75x (target <= 1x)",
    ]


def test_the_bench_command_fails_naming_every_missed_target():
    slower = Target(
        "end to end / bare engine", figure=40_000, reference=88_500, reference_name="bare engine",
        unit="evaluations/s", bound=0.5, higher_is_better=True,
    )
    with pytest.raises(click.ClickException) as missed:
        exit_on_missed_targets([THROUGHPUT, BUILD, slower])
    assert missed.value.exit_code == 1
    assert missed.value.message == "missed 2 target(s): incremental / full; end to end / bare engine"
    exit_on_missed_targets([THROUGHPUT, PAGE])  # all met: no error
