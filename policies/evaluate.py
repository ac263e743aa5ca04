"""Evaluate the whole policy library over normalised documents, in batches, into findings.

The same path serves the runtime (inventory documents, keyed by the inventory's resource key) and the
pre-deployment check (plan documents, keyed by Terraform address). ``now`` is passed in as
``input.now`` so ages (access keys, snapshots) are deterministic for a given run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

from policies.config import PolicyConfig
from policies.documents import RESOURCE_TYPES
from policies.engine import PolicyEngine, RegorusEngine
from policies.library import Policy, load_library

BATCH_SIZE = 5000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Document = tuple[str, str, dict[str, Any]]  # (resource key, resource type, normalised document)


class Finding(NamedTuple):
    """One policy denying one resource (a policy reports a resource once; its reasons share the message).

    A tuple of strings: the cyclic garbage collector stops tracking it, so a run's many findings cost it nothing.
    """

    policy_id: str
    resource_key: str
    resource_type: str
    severity: str
    message: str


class PolicyEvaluationError(RuntimeError):
    """A policy returned something that is not a finding about a resource of its input."""


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Evaluator:
    """The library loaded into an engine once, ready to evaluate any number of documents."""

    def __init__(self, config: PolicyConfig | None = None, engine: PolicyEngine | None = None) -> None:
        config = config or PolicyConfig()
        self.library = load_library(config.extra_dirs)
        self.policies: dict[str, Policy] = {p.id: p for p in self.library.policies}
        self._engine = engine or RegorusEngine()
        self._engine.load(self.library.modules, config.data())
        # regorus compiles rules lazily: evaluate each once now so a Rego error surfaces at load time.
        self._engine.evaluate(
            [p.rule for p in self.library.policies], {"now": rfc3339(_EPOCH), "resources": {}}
        )

    def evaluate(
        self, documents: Iterable[Document], now: datetime, batch_size: int = BATCH_SIZE
    ) -> list[Finding]:
        """Findings of every policy over the documents as of ``now``, sorted by policy, then resource."""
        moment = rfc3339(now)
        findings: list[Finding] = []
        for resources, types in _batches(documents, batch_size):
            findings.extend(self._evaluate_batch(resources, types, moment))
        return sorted(findings)

    def _evaluate_batch(
        self, resources: dict[str, dict[str, Any]], types: dict[str, str], now: str
    ) -> Iterator[Finding]:
        relevant = [p for p in self.library.policies if not resources.keys().isdisjoint(p.resource_types)]
        results = self._engine.evaluate([p.rule for p in relevant], {"now": now, "resources": resources})
        for policy in relevant:
            messages: dict[str, list[str]] = {}
            for result in results[policy.rule]:
                key, message = _check(policy, result, types)
                # A policy judges the types it declares; a generic rule (the tagging policies go over every
                # type of their input) also sees the batch's other types, which are not its to judge.
                if types[key] in policy.resource_types:
                    messages.setdefault(key, []).append(message)
            for key, reasons in messages.items():
                yield Finding(policy.id, key, types[key], policy.severity, "; ".join(sorted(reasons)))


def _check(policy: Policy, result: Any, types: dict[str, str]) -> tuple[str, str]:
    """A deny result must be ``{"resource": <key of the input>, "message": <text>}``."""
    if not isinstance(result, dict) or not isinstance(result.get("message"), str):
        raise PolicyEvaluationError(f"{policy.module.path}: {policy.id} returned {result!r}, not a finding")
    if result.get("resource") not in types:
        raise PolicyEvaluationError(
            f"{policy.module.path}: {policy.id} returned resource {result.get('resource')!r}, "
            "not a key of its input"
        )
    return result["resource"], result["message"]


def _batches(
    documents: Iterable[Document], size: int
) -> Iterator[tuple[dict[str, dict[str, Any]], dict[str, str]]]:
    """``({type: {key: document}}, {key: type})`` for each run of ``size`` documents; keys must be unique."""
    seen: set[str] = set()
    resources: dict[str, dict[str, Any]] = {}
    types: dict[str, str] = {}
    for key, resource_type, document in documents:
        if key in seen:
            raise ValueError(f"resource key {key!r} appears twice")
        if resource_type not in RESOURCE_TYPES:
            raise ValueError(f"resource {key!r} has unknown type {resource_type!r}")
        seen.add(key)
        resources.setdefault(resource_type, {})[key] = document
        types[key] = resource_type
        if len(types) == size:
            yield resources, types
            resources, types = {}, {}
    if types:
        yield resources, types


def evaluate(
    documents: Iterable[Document], config: PolicyConfig | None = None, *, now: datetime
) -> list[Finding]:
    """Load the library and evaluate once; keep an ``Evaluator`` to evaluate repeatedly."""
    return Evaluator(config).evaluate(documents, now)
