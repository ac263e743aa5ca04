"""Run every Rego test (``test_`` rules in ``*_test.rego``) like a test runner: one outcome per test.

Each policy's METADATA examples are tests too: the good input must match the schemas of its resource
types and draw no deny, the bad one must match them and draw at least one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import regorus

from policies.config import PolicyConfig
from policies.documents.schemas import schema_error
from policies.engine import RegoError, RegorusEngine, rego_error
from policies.library import Examples, Library, Policy, RegoModule, load_library


@dataclass(frozen=True)
class RegoTestResult:
    rule: str  # data.aws.s3.encryption_test.test_denies_bucket_without_default_encryption, or
    # data.aws.s3.encryption examples.good
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
    results = [_run(engine, *test) for test in _test_rules(engine, library.tests)]
    return results + _run_examples(library)


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


def _run_examples(library: Library) -> list[RegoTestResult]:
    """Each policy's good and bad example, judged by the library loaded with the examples' data."""
    engines: dict[str, RegorusEngine] = {}
    results = []
    for policy in library.policies:
        if (examples := policy.examples) is None:
            continue
        data = PolicyConfig().data() if examples.data is None else {"cloudforge": examples.data}
        key = json.dumps(data, sort_keys=True)
        if key not in engines:
            engines[key] = RegorusEngine()
            engines[key].load(library.modules, data)
        results += [_run_example(engines[key], policy, examples, verdict) for verdict in ("good", "bad")]
    return results


def _run_example(engine: RegorusEngine, policy: Policy, examples: Examples, verdict: str) -> RegoTestResult:
    start = time.perf_counter()
    documents = getattr(examples, verdict)
    output = [f"{t}: {error}" for t, d in documents.items() if (error := schema_error(t, d))]
    resources = {t: {t: d} for t, d in documents.items()}  # each document keyed by its type
    try:
        denied = engine.evaluate([policy.rule], {"now": examples.now, "resources": resources})[policy.rule]
    except RegoError as error:
        outcome, output = "error", [*output, str(error)]
    else:
        if verdict == "good":
            output += [f"denied: {d}" for d in denied]
        elif not denied:
            output.append("nothing denied")
        outcome = "fail" if output else "pass"
    return RegoTestResult(
        f"data.{policy.module.package} examples.{verdict}",
        policy.module.path,
        examples.line,
        outcome,
        time.perf_counter() - start,
        tuple(output),
    )
