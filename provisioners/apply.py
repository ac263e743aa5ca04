"""Walk a request's graph with a bounded worker pool: each node once its dependencies exist (``apply``), or
each node once everything depending on it is gone (``destroy``), recording every step in the ledger.

Exactly once: before creating, a node is looked up in the ledger (created: done) and, when an earlier attempt
may have reached the cloud (the ledger has a row for it, or this is a retry), in the cloud (by its request and
node tags, or its unique name), so a create whose answer was lost is found rather than repeated. A node that still fails is recorded with why; the
nodes already running finish, nothing new starts, and ``resume`` (another apply) carries on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from provisioners.engines import Created, Engine
from provisioners.graph import Graph, Node, substitute
from provisioners.ledger import Ledger


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)  # created (or deleted) by this run
    found: list[str] = field(default_factory=list)  # already there: in the ledger or in the cloud
    failed: dict[str, str] = field(default_factory=dict)  # node -> why

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Retry:
    attempts: int = 6
    first_wait: float = 0.2  # doubled each attempt
    sleep: Callable[[float], None] = time.sleep


DEFAULT_RETRY = Retry()


def client_token(request_id: str, node_id: str) -> str:
    """The idempotency token of a node's create: the same for every attempt of every run."""
    return hashlib.sha256(f"{request_id}/{node_id}".encode()).hexdigest()[:64]


def apply(
    graph: Graph, engine: Engine, ledger: Ledger, workers: int, retry: Retry = DEFAULT_RETRY
) -> Outcome:
    request_id = graph.request.id
    rows = ledger.nodes(request_id)
    known = {node_id: row.attributes for node_id, row in rows.items() if row.status == "created"}
    outcome = Outcome(found=[n for n in graph.order() if n in known])

    def create(node: Node) -> Created:
        properties = substitute(node.properties, known)
        tried_before = node.id in rows  # else the cloud cannot have it: the row is written before a create
        ledger.node_status(request_id, node.id, node.address, node.type, "creating")

        def find_or_create(attempt: int) -> Created:
            found = engine.find(node, properties) if attempt or tried_before else None
            return found or engine.create(node, properties, client_token(request_id, node.id))

        created = _attempt(engine, retry, find_or_create)
        _attempt(engine, retry, lambda _: engine.configure(node, properties, created))
        ledger.node_status(request_id, node.id, node.address, node.type, "created", created.physical_id,
                           created.attributes, "found in the cloud" if created.adopted else None,
                           created.api_request_id)  # fmt: skip
        return created

    def finished(node: Node, created: Created) -> None:
        known[node.id] = created.attributes
        outcome.done.append(node.id)

    _walk(graph, {n: set(graph.nodes[n].depends_on) for n in graph.nodes}, set(known), create, finished,
          ledger, outcome, workers)  # fmt: skip
    return outcome


def destroy(
    graph: Graph, engine: Engine, ledger: Ledger, workers: int, retry: Retry = DEFAULT_RETRY
) -> Outcome:
    """Delete what the ledger says was created, dependents first."""
    request_id = graph.request.id
    rows = ledger.nodes(request_id)
    present = {n for n, row in rows.items() if row.status in ("created", "creating", "failed", "deleting")}
    outcome = Outcome()

    def delete(node: Node) -> None:
        row = rows[node.id]
        ledger.node_status(request_id, node.id, node.address, node.type, "deleting")
        created = Created(row.physical_id, row.attributes) if row.physical_id else None
        if created is None:  # it may exist without the ledger knowing its id: ask the cloud
            properties = substitute(node.properties, {n: r.attributes for n, r in rows.items()})
            created = _attempt(engine, retry, lambda _: engine.find(node, properties))
        api_request = _attempt(engine, retry, lambda _: engine.delete(node, created)) if created else None
        ledger.node_status(
            request_id, node.id, node.address, node.type, "deleted", api_request_id=api_request
        )

    def finished(node: Node, _: object) -> None:
        outcome.done.append(node.id)

    dependents = graph.dependents()
    gone = {n for n in graph.nodes if n not in present}
    _walk(graph, dependents, gone, delete, finished, ledger, outcome, workers)
    return outcome


def _attempt(engine: Engine, retry: Retry, action: Callable[[int], object]):
    """``action(attempt)`` until it succeeds, retrying what the engine calls retryable with backoff."""
    for attempt in range(retry.attempts):
        try:
            return action(attempt)
        except Exception as error:
            if attempt + 1 == retry.attempts or not engine.retryable(error):
                raise
            retry.sleep(retry.first_wait * 2**attempt)
    raise AssertionError("unreachable")


def _walk(graph: Graph, waits_for: dict[str, set[str]], done: set[str], act: Callable[[Node], object],
          finished: Callable[[Node, object], None], ledger: Ledger, outcome: Outcome, workers: int) -> None:  # fmt: skip
    """Run ``act`` on every node not in ``done`` once all of ``waits_for[node]`` are done, ``workers`` at a
    time; after a failure, start nothing new."""
    request_id = graph.request.id
    pending = [n for n in graph.order() if n not in done]
    running: dict[Future, Node] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="provision") as pool:
        while pending or running:
            if not outcome.failed:
                ready = [n for n in pending if waits_for[n] <= done]
                for node_id in ready[: max(0, workers - len(running))]:
                    pending.remove(node_id)
                    running[pool.submit(act, graph.nodes[node_id])] = graph.nodes[node_id]
            if not running:
                break
            completed, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in completed:
                node = running.pop(future)
                error = future.exception()
                if error is None:
                    finished(node, future.result())
                    done.add(node.id)
                else:
                    why = f"{type(error).__name__}: {error}"
                    outcome.failed[node.id] = why
                    ledger.node_status(request_id, node.id, node.address, node.type, "failed", message=why)
