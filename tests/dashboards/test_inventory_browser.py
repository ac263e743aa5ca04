"""The Inventory page's resource detail rendered by a real browser: the dashboards served by `streamlit run`, read
by headless Chromium at the address of a VPC's detail (?resource=<key>)."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
from support.browser import screenshot_when_shown, served_dashboards
from support.pages import grant_reader

VPC = "aws:111111111111:us-east-1:vpc:vpc-1"  # in history_marts_url (conftest.fill_history)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium (Debian package chromium)")
def test_a_vpcs_detail_renders_its_history_and_what_deleting_it_affects(history_marts_url, tmp_path):
    shot = tmp_path / "inventory.png"
    shows = ("History", "Depends on", "Deleting it affects", "3 resources depend on it, 1 directly.")
    with served_dashboards(grant_reader(history_marts_url)) as dashboards:
        text = screenshot_when_shown(f"{dashboards}/?resource={quote(VPC)}", shows, shot)

    # Every text of shows is in the page's (screenshot_when_shown raises when one never shows); tables draw on a
    # canvas: their cells are in the screenshot, not the text.
    assert "3 resources depend on it, 1 directly." in text
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
