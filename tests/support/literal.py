"""Names written as Markdown, Streamlit directives, LaTeX, Slack mrkdwn and HTML, as anyone who can tag a resource
or write a billing export may choose them, and how a test tells that a page shows them as literal text."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

NAME = "**bold** [t](javascript:alert(1)) <img src=x onerror=alert(1)>"
ARN = "arn:aws:ec2:us-east-1:111111111111:instance/_x_:red[x]$x$"
TEAM = "<https://evil|click> _x_"
PROJECT = ":red[x] $x$ `c` <script>"
SERVICE = "[t](javascript:alert(1)) ~y~ *z* :material/warning:"
HOSTILE = (NAME, ARN, TEAM, PROJECT, SERVICE)

# GitHub-flavoured Markdown as far as markdown-it goes; Streamlit's own syntax is checked on the source.
_MARKDOWN = MarkdownIt("commonmark").enable(["strikethrough", "table"])
_STREAMLIT_SYNTAX = re.compile(r"(?<!\\)(\$|:[a-z]+\[|:material/)")


def rendered_text(markdown: str) -> str:
    """The text a Markdown renderer shows for ``markdown``, which must be one paragraph of plain text: no emphasis,
    link, HTML, code or block of its own, and none of Streamlit's directives, icons or math."""
    assert not _STREAMLIT_SYNTAX.search(markdown), markdown
    [opening, inline, closing] = _MARKDOWN.parse(markdown)
    assert (opening.type, closing.type) == ("paragraph_open", "paragraph_close"), markdown
    assert {token.type for token in inline.children} == {"text"}, inline.children
    return "".join(token.content for token in inline.children)


def raw_values_in(bodies: list[str]) -> list[tuple[str, str]]:
    """(body, value) for every body that holds a hostile value as it is, so Markdown would read it."""
    return [(body, value) for body in bodies for value in HOSTILE if value in body]
