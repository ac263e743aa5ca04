"""Run every Rego test (``test_`` rules in ``*_test.rego``) like a test runner: one outcome per test."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import regorus

from policies.engine import rego_error
from policies.library import RegoModule, load_library


@dataclass(frozen=True)
class RegoTestResult:
    rule: str  # data.aws.s3.encryption_test.test_denies_bucket_without_default_encryption
    file: Path
    line: int
    outcome: str  # "pass" | "fail" | "error"
    seconds: float
    output: tuple[str, ...]  # print() output of a failing test, or the error


def run_tests(extra_dirs: Sequence[Path | str] = ()) -> list[RegoTestResult]:
    """Load policies, libraries and tests together, then evaluate each test rule on its own."""
    library = load_library(extra_dirs)
    engine = regorus.Engine()
    for module in (*library.modules, *library.tests):
        try:
            engine.add_policy(str(module.path), module.source)
        except RuntimeError as error:
            raise rego_error(error) from None
    engine.set_gather_prints(True)
    return [_run(engine, *test) for test in _test_rules(engine, library.tests)]


def _test_rules(engine: regorus.Engine, tests: Sequence[RegoModule]) -> list[tuple[str, Path, int]]:
    """``(rule, file, line)`` of every rule named ``test_*`` in the test modules, in file order."""
    packages = {str(m.path): (m.path, m.package) for m in tests}
    found: dict[str, tuple[str, Path, int]] = {}
    for module in json.loads(engine.get_ast_as_json()):
        if module["source"]["file"] not in packages:
            continue
        path, package = packages[module["source"]["file"]]
        for rule in module["ast"]["rules"]:
            head = next(iter(rule.get("Spec", {}).get("head", {}).values()), {})
            name = head.get("refr", {}).get("Var", {}).get("value", "")
            if name.startswith("test_"):
                found.setdefault(
                    f"data.{package}.{name}", (f"data.{package}.{name}", path, head["span"]["line"])
                )
    return list(found.values())


def _run(engine: regorus.Engine, rule: str, path: Path, line: int) -> RegoTestResult:
    start = time.perf_counter()
    try:
        passed = engine.eval_rule(rule) is True
        outcome, output = ("pass" if passed else "fail"), tuple(engine.take_prints())
    except RuntimeError as error:
        outcome, output = "error", (str(rego_error(error)),)
        engine.take_prints()
    return RegoTestResult(rule, path, line, outcome, time.perf_counter() - start, output)
