"""Values from the data as literal text in Streamlit's Markdown (dashboards.text)."""

from __future__ import annotations

import pytest
from support.literal import HOSTILE, rendered_text

from dashboards.text import literal


@pytest.mark.parametrize("value", [*HOSTILE, "# heading", "1. item", "- item", "> quote", "---", "| a | b |",
                                   "www.example.com", "a@b.example", r"back\slash", "&amp; &#42;", 42])
def test_literal_markdown_shows_the_value_as_it_is(value):
    assert rendered_text(literal(value)) == str(value)


def test_line_breaks_become_spaces_so_no_value_starts_a_block():
    assert rendered_text(literal("name\n\n    indented\r\n# heading")) == "name indented # heading"
