"""What the commands print: progress steps and plain-text tables."""

from __future__ import annotations

import click


def step(message: str) -> None:
    click.echo(click.style("▸ ", fg="cyan") + message)


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """Rows as an aligned plain-text table with a header and a row count."""
    cells = [columns, *([("" if value is None else str(value)) for value in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, f"({len(rows)} rows)"])


