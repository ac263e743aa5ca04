"""Values from the data as literal text inside Streamlit's Markdown.

Headings, captions, messages (``st.info``, ``st.warning``) and metrics render their text as GitHub-flavoured
Markdown with Streamlit's extras: directives (``:red[...]``), icons (``:material/...:``), emoji shortcodes and LaTeX
(``$...$``). Resource names, ARNs, tags and service names are written by whoever owns the resource or the billing
export, so every one of them put into such text goes through ``literal`` and never turns into a link, emphasis,
colour, icon or formula. Tables (``st.dataframe``), widget options and charts (Vega escapes its tooltips) show text
as it is and need nothing.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile(f"([{re.escape(string.punctuation)}])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
NONE_LABEL = "(none)"  # how a missing value (an empty string) shows in charts and filters


def literal(value: object) -> str:
    """``value`` as Markdown that shows exactly its text.

    CommonMark lets any ASCII punctuation be backslash-escaped and then shows it as itself, so escaping all of it
    disarms every construct at once: emphasis, links, autolinks, HTML, code, tables, directives, math, and the
    ``:material/...:`` and emoji shortcodes Streamlit looks for in the source. Line breaks become spaces, so a
    value cannot start a block of its own (a heading, list or code block). What no escape reaches: Streamlit draws
    ``:material_name:`` and ``:streamlit:`` in the parsed text as icons and ``->`` as an arrow; never a link or
    markup.
    """
    return _PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)))
