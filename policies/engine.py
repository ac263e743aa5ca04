"""The Rego engine behind a small interface: regorus in process today, another engine (an OPA server over
REST, say) could take its place by implementing ``PolicyEngine``.

Measured here with regorus 0.13 and the whole library (37 policies, process CPU time): a batch of 5,000
resources per query evaluates about 15,000-18,000 resources/s, one query per resource about 2,600/s. The
evaluator therefore hands the engine a whole batch (``input.resources[type][key]``) and asks for each
policy's ``deny`` set once. Converting the batch into regorus values (``set_input``) is about a fifth of it.

A regorus engine is bound to the thread that created it (it panics elsewhere): create one per thread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import regorus

from policies.library import RegoModule


class RegoError(Exception):
    """A Rego parse or evaluation error; the message starts with ``file:line:column:``."""

    def __init__(self, message: str, file: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.file = file
        self.line = line


def rego_error(error: Exception) -> RegoError:
    """A regorus error (snippet and Rust backtrace) as ``file:line:col: what`` followed by the snippet."""
    text = str(error).split("\nStack backtrace:", 1)[0].strip("\n")
    where = re.search(r"--> (.+?):(\d+):(\d+)", text)
    what = re.search(r"^error: (.*)$", text, re.MULTILINE)
    if where is None:
        return RegoError(text.strip())
    file, line, column = where.group(1), int(where.group(2)), int(where.group(3))
    summary = what.group(1).strip() if what else "error"
    snippet = text[where.end() :].split("\nerror:", 1)[0].rstrip()
    return RegoError(f"{file}:{line}:{column}: {summary}{snippet}", file, line)


class PolicyEngine(Protocol):
    """What the evaluator needs from a Rego engine."""

    def load(self, modules: Sequence[RegoModule], data: Mapping[str, Any]) -> None:
        """Replace the loaded policies and the data document; raise RegoError naming file and line."""

    def evaluate(self, rules: Sequence[str], input: Mapping[str, Any]) -> dict[str, list[Any]]:
        """Each rule's value (``data.aws.s3.encryption.deny`` -> its set as a list) for one input."""


class RegorusEngine:
    """regorus (Rust, in process)."""

    def __init__(self) -> None:
        self._engine = regorus.Engine()

    def load(self, modules: Sequence[RegoModule], data: Mapping[str, Any]) -> None:
        engine = regorus.Engine()
        for module in modules:
            try:
                engine.add_policy(str(module.path), module.source)
            except RuntimeError as error:
                raise rego_error(error) from None
        engine.add_data(dict(data))
        self._engine = engine

    def evaluate(self, rules: Sequence[str], input: Mapping[str, Any]) -> dict[str, list[Any]]:
        self._engine.set_input(dict(input))
        try:
            return {rule: json.loads(self._engine.eval_rule_as_json(rule)) or [] for rule in rules}
        except RuntimeError as error:
            raise rego_error(error) from None
