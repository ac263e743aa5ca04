"""The Rego library on disk: which files are policies, libraries and tests, and each policy's metadata.

Layout, under ``policies/`` and under every extra directory from config:

* ``<provider>/<service>/<name>.rego``: a policy. Its package is the path (``aws.s3.encryption``), it has
  ``deny contains result if`` rules and a METADATA block (OPA rich metadata) before ``package``:
  title, description, and under ``custom``: id, severity, category, resource_types, frameworks, remediation.
* ``<...>/<name>_test.rego``: Rego tests (``test_`` rules), run by ``cloudforge policy test``.
* ``lib/<name>.rego``: helper functions (package ``lib.<name>``), no metadata.

A policy's ``custom.examples`` gives a good and a bad input (``{resource type: document}`` each, in the
declared shape of ``policies/schemas``), with the ``now`` and ``data.cloudforge`` to judge them by;
``cloudforge policy test`` checks the verdicts (``policies.testing``).

Reading metadata needs no Rego engine, so any engine can be put behind the same library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from policies.documents import RESOURCE_TYPES

POLICY_ROOT = Path(__file__).resolve().parent
SEVERITIES = ("critical", "high", "medium", "low")
CATEGORIES = ("security", "cost", "tagging")
EXAMPLES_NOW = "1970-01-01T00:00:00Z"  # input.now of examples that give none: a date-bound example says when


class PolicyLoadError(ValueError):
    """A policy file that cannot be used; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class RegoModule:
    path: Path
    package: str
    source: str


@dataclass(frozen=True)
class Examples:
    """A good input (no deny) and a bad one (at least one), each ``{resource type: document}``."""

    good: Mapping[str, Mapping[str, Any]]
    bad: Mapping[str, Mapping[str, Any]]
    now: str  # input.now
    data: Mapping[str, Any] | None  # data.cloudforge; None: the default configuration's
    line: int


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    description: str
    severity: str
    category: str
    resource_types: tuple[str, ...]
    frameworks: MappingProxyType[str, tuple[str, ...]]
    remediation: str
    module: RegoModule
    examples: Examples | None = None

    @property
    def rule(self) -> str:
        """The rule whose set holds this policy's findings."""
        return f"data.{self.module.package}.deny"


@dataclass(frozen=True)
class Library:
    policies: tuple[Policy, ...]
    modules: tuple[RegoModule, ...]  # policies and libraries: what evaluation loads
    tests: tuple[RegoModule, ...]


_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_DENY = re.compile(r"^deny\s+contains\b", re.MULTILINE)
_CLOCK = re.compile(r"\btime\.now_ns\s*\(")
_EXAMPLES = re.compile(r"^#\s+examples:", re.MULTILINE)


def load_library(extra_dirs: Sequence[Path | str] = ()) -> Library:
    """Every policy, library and test under ``policies/`` and the extra directories, validated."""
    policies: list[Policy] = []
    modules: list[RegoModule] = []
    tests: list[RegoModule] = []
    for root in (POLICY_ROOT, *map(Path, extra_dirs)):
        if not root.is_dir():
            raise PolicyLoadError(f"{root}: policy directory does not exist")
        for path in sorted(root.rglob("*.rego")):
            module = _read(path, root)
            if path.name.endswith("_test.rego"):
                tests.append(module)
                continue
            modules.append(module)
            if path.relative_to(root).parts[0] != "lib":
                policies.append(_policy(module))
    _unique(modules, lambda m: m.package, "package")
    _unique(policies, lambda p: p.id, "policy id")
    return Library(tuple(policies), tuple(modules), tuple(tests))


def _read(path: Path, root: Path) -> RegoModule:
    source = path.read_text(encoding="utf-8")
    package = _PACKAGE.search(source)
    if package is None:
        raise PolicyLoadError(f"{path}:1: no package declaration")
    for number, line in enumerate(source.splitlines(), 1):
        if _CLOCK.search(line.split("#", 1)[0]):
            raise PolicyLoadError(f"{path}:{number}: time.now_ns() reads the clock; use input.now instead")
    module = RegoModule(path, package.group(1), source)
    expected = ".".join(path.relative_to(root).with_suffix("").parts)
    if not path.name.endswith("_test.rego") and module.package != expected:
        line = source[: package.start()].count("\n") + 1
        raise PolicyLoadError(f"{path}:{line}: package {module.package} should be {expected} (its path)")
    return module


def _policy(module: RegoModule) -> Policy:
    line, meta = _metadata(module)
    custom = meta.get("custom") or {}

    def fail(message: str) -> None:
        raise PolicyLoadError(f"{module.path}:{line}: METADATA {message}")

    if not _DENY.search(module.source):
        raise PolicyLoadError(f"{module.path}:1: a policy needs a `deny contains result if {{...}}` rule")
    for key in ("title", "description"):
        if not meta.get(key):
            fail(f"needs {key}")
    for key in ("id", "remediation"):
        if not custom.get(key):
            fail(f"needs custom.{key}")
    if custom.get("severity") not in SEVERITIES:
        fail(f"custom.severity must be one of {', '.join(SEVERITIES)}")
    category = custom.get("category", "security")
    if category not in CATEGORIES:
        fail(f"custom.category must be one of {', '.join(CATEGORIES)}")
    types = custom.get("resource_types")
    if not isinstance(types, list) or not types:
        fail("custom.resource_types must list resource types")
    if unknown := sorted(set(types) - RESOURCE_TYPES):
        fail(f"custom.resource_types has unknown types {unknown}; known: {sorted(RESOURCE_TYPES)}")
    frameworks = custom.get("frameworks") or {}
    if not isinstance(frameworks, dict) or not all(isinstance(v, list) for v in frameworks.values()):
        fail("custom.frameworks must map each framework to a list of control ids")
    examples = None
    if (given := custom.get("examples")) is not None:
        if problem := _examples_problem(given, types):
            fail(f"custom.examples {problem}")
        at = _EXAMPLES.search(module.source)
        examples = Examples(
            good=given["good"],
            bad=given["bad"],
            now=given.get("now", EXAMPLES_NOW),
            data=given.get("data"),
            line=module.source[: at.start()].count("\n") + 1 if at else line,
        )
    return Policy(
        id=str(custom["id"]),
        title=meta["title"],
        description=meta["description"],
        severity=custom["severity"],
        category=category,
        resource_types=tuple(types),
        frameworks=MappingProxyType({k: tuple(map(str, v)) for k, v in frameworks.items()}),
        remediation=custom["remediation"],
        module=module,
        examples=examples,
    )


def _examples_problem(examples: Any, types: list[str]) -> str | None:
    """What is wrong with ``custom.examples``, or None."""
    if not isinstance(examples, dict) or {"good", "bad"} - examples.keys():
        return "must give good and bad, each {resource type: document}"
    if unknown := sorted(examples.keys() - {"good", "bad", "now", "data"}):
        return f"has unknown keys {unknown}; known: good, bad, now, data"
    for verdict in ("good", "bad"):
        documents = examples[verdict]
        if not isinstance(documents, dict) or not documents:
            return f"{verdict} must map resource types to one document each"
        if others := sorted(set(documents) - set(types)):
            return f"{verdict} has types {others} that are not among the policy's resource_types"
        if not all(isinstance(d, dict) for d in documents.values()):
            return f"{verdict} must map each resource type to one document (an object)"
    if not isinstance(examples.get("now", EXAMPLES_NOW), str):
        return "now must be an RFC 3339 timestamp string"
    if not isinstance(examples.get("data", {}), dict):
        return "data must be an object (data.cloudforge)"
    return None


def _metadata(module: RegoModule) -> tuple[int, dict[str, Any]]:
    """The line of ``# METADATA`` and its YAML, from the comment block that follows it."""
    lines = module.source.splitlines()
    start = next((i for i, text in enumerate(lines) if text.strip() == "# METADATA"), None)
    if start is None:
        raise PolicyLoadError(f"{module.path}:1: a policy needs a `# METADATA` block before its package")
    block = []
    for text in lines[start + 1 :]:
        if not text.startswith("#"):
            break
        block.append(text[2:] if text.startswith("# ") else text[1:])
    try:
        meta = yaml.safe_load("\n".join(block))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = start + 2 + (mark.line if mark else 0)
        raise PolicyLoadError(f"{module.path}:{line}: METADATA is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise PolicyLoadError(f"{module.path}:{start + 1}: METADATA must be a YAML mapping")
    return start + 1, meta


def _unique(items: Sequence[Any], key: Any, what: str) -> None:
    seen: dict[str, Path] = {}
    for item in items:
        path = item.path if isinstance(item, RegoModule) else item.module.path
        if key(item) in seen:
            raise PolicyLoadError(f"{path}:1: {what} {key(item)} is already defined in {seen[key(item)]}")
        seen[key(item)] = path
