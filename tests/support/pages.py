"""Run one dashboard page with Streamlit's AppTest against a given warehouse, and read what it shows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from cloudforge.settings import load_settings
from cloudforge.warehouse.reader import grant_reader

APP = str(Path(__file__).parents[2] / "dashboards" / "app.py")


def point_dashboards_at(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboards read the database of ``url`` (a superuser's) as its read-only role, as deployed: the
    app from its environment, and a data function called here from the settings app.py would load."""
    reader = grant_reader(url)
    monkeypatch.setenv("CLOUDFORGE_READER_DATABASE_URL", reader)
    monkeypatch.setitem(st.session_state, "settings", load_settings(reader_database_url=reader))


def run_page(url: str, page: str, monkeypatch: pytest.MonkeyPatch, **state: object) -> AppTest:
    """``dashboards/views/<page>.py`` of the app pointed at ``url``, run cold (no cached engine or query) with
    ``state`` in its session; it must not raise."""
    point_dashboards_at(url, monkeypatch)
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=60).switch_page(f"views/{page}.py")
    for key, value in state.items():
        app.session_state[key] = value
    app.run()
    assert not app.exception
    return app


def metrics(app: AppTest) -> dict[str, tuple[str, str | None]]:
    """Label -> (value, delta or None) of every metric."""
    return {metric.label: (metric.value, metric.delta or None) for metric in app.metric}


def table_with(app: AppTest, column: str) -> pd.DataFrame:
    """The one table on the page that has ``column``."""
    [table] = [frame.value for frame in app.dataframe if column in frame.value.columns]
    return table


def captions(app: AppTest) -> list[str]:
    return [caption.value for caption in app.main.caption]


def chart_rows(app: AppTest, field: str) -> list[dict]:
    """The rows of the page's chart datasets that have ``field``."""
    frames = [
        convert_arrow_bytes_to_pandas_df(dataset.data.data)
        for chart in app.get("vega_lite_chart")
        for dataset in chart.proto.datasets
    ]
    return [row for frame in frames if field in frame.columns for row in frame.to_dict("records")]


def selected_row(row: int) -> dict:
    """A table's selection state after a click on ``row``."""
    return {"selection": {"rows": [row], "columns": [], "cells": []}}
