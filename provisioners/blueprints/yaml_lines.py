"""YAML with the line of every value, so an error can say where in the file it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


class SourceError(ValueError):
    """What is wrong, and where: one ``file:line: message`` per problem."""

    def __init__(self, problems: list[tuple[str, int, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{file}:{line}: {message}" for file, line, message in problems))


class Located:
    """A parsed YAML document and the line of each of its values, by path of keys and indexes."""

    def __init__(self, file: str, data: Any, lines: dict[Path_, int]) -> None:
        self.file, self.data, self._lines = file, data, lines

    def line(self, *path: str | int) -> int:
        """The line of the value at ``path``, else of its nearest parent that has one."""
        while path not in self._lines and path:
            path = path[:-1]
        return self._lines.get(path, 1)

    def problem(self, message: str, *path: str | int) -> tuple[str, int, str]:
        return self.file, self.line(*path), message


def load_located(path: Path) -> Located:
    """Parse ``path``; SourceError naming the line when it is not YAML or not a mapping."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SourceError([(file, 1, f"cannot read: {error.strerror}")]) from None
    return parse_located(text, file)


def parse_located(text: str, file: str) -> Located:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError([(file, mark.line + 1 if mark else 1, f"not valid YAML: {error}")]) from None
    if not isinstance(node, yaml.MappingNode):
        raise SourceError([(file, 1, "expected a mapping at the top level")])
    lines: dict[Path_, int] = {}
    constructor = yaml.SafeLoader("")
    return Located(file, _construct(node, (), lines, constructor), lines)


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int], constructor: yaml.SafeLoader) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)  # a mapping's entry: the line of its key
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            lines[(*path, str(key.value))] = key.start_mark.line + 1
        return {
            str(key.value): _construct(value, (*path, str(key.value)), lines, constructor)
            for key, value in node.value
        }
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines, constructor) for i, item in enumerate(node.value)]
    return constructor.construct_object(node)
