"""The resource graph of a request: the blueprint's resources with the request's values filled in, counted
resources expanded to one node each, references left as ``Ref`` until the resource they name exists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from graphlib import TopologicalSorter
from typing import Any

from provisioners.blueprints.blueprint import EXPRESSION, NODE_REFERENCE, Blueprint, Resource
from provisioners.blueprints.request import Request, parameter_values
from provisioners.catalog import KINDS, physical_name

REQUEST_TAG = "cloudforge:request"
NODE_TAG = "cloudforge:node"


@dataclass(frozen=True)
class Ref:
    """A value known once node ``node`` exists: its ``attribute``."""

    node: str
    attribute: str


@dataclass(frozen=True)
class Node:
    id: str  # "vpc", "web[0]"
    resource: str  # the blueprint's resource name
    index: int | None  # the count index, None without count
    type: str  # the Terraform type
    properties: dict[str, Any]  # Terraform arguments, references as Ref
    depends_on: tuple[str, ...]

    @property
    def address(self) -> str:
        """Its Terraform address, ``aws_instance.web[0]``."""
        return f"{self.type}.{self.resource}" + ("" if self.index is None else f"[{self.index}]")


@dataclass(frozen=True)
class Graph:
    request: Request
    nodes: dict[str, Node]

    def order(self) -> list[str]:
        """Node ids, each after every node it depends on (ties in declaration order)."""
        sorter = TopologicalSorter({n.id: n.depends_on for n in self.nodes.values()})
        position = {node_id: i for i, node_id in enumerate(self.nodes)}
        sorter.prepare()
        ordered = []
        while sorter.is_active():
            ready = sorted(sorter.get_ready(), key=position.__getitem__)
            ordered.extend(ready)
            sorter.done(*ready)
        return ordered

    def dependents(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {node_id: set() for node_id in self.nodes}
        for node in self.nodes.values():
            for dependency in node.depends_on:
                found[dependency].add(node.id)
        return found


def render(blueprint: Blueprint, request: Request) -> Graph:
    """The request's graph; SourceError (from ``parameter_values``) for a missing, unknown or mistyped
    parameter."""
    values = parameter_values(request, blueprint)
    counts = {r.name: _count(r, values) for r in blueprint.resources.values()}
    nodes = {}
    for resource in blueprint.resources.values():
        for index in range(counts[resource.name]) if resource.count is not None else [None]:
            node = _node(resource, index, counts, values, request)
            nodes[node.id] = node
    return Graph(request, nodes)


def node_id(resource: str, index: int | None) -> str:
    return resource if index is None else f"{resource}[{index}]"


def _count(resource: Resource, values: dict[str, Any]) -> int:
    if resource.count is None or isinstance(resource.count, int):
        return resource.count or 0
    return int(values[EXPRESSION.fullmatch(resource.count).group(1).removeprefix("param.")])


def _node(resource: Resource, index: int | None, counts, values, request: Request) -> Node:
    identity = node_id(resource.name, index)
    scope = {"param": values, "request": request.fields(), "count": {"index": index}}
    properties = _resolve(resource.properties, scope, counts)
    kind = KINDS[resource.type]
    if kind.name_attribute and kind.name_attribute not in properties:
        properties[kind.name_attribute] = physical_name(kind, request.id, identity)
    if kind.tagged:
        properties["tags"] = {
            **(properties.get("tags") or {}), **request.tags, REQUEST_TAG: request.id, NODE_TAG: identity,
        }  # fmt: skip
    depends = sorted({ref.node for ref in refs(properties)})
    return Node(identity, resource.name, index, resource.type, properties, tuple(depends))


def _resolve(value: Any, scope: dict[str, dict[str, Any]], counts: dict[str, int]) -> Any:
    if isinstance(value, dict):
        return {key: _resolve(item, scope, counts) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, scope, counts) for item in value]
    if not isinstance(value, str):
        return value
    whole = EXPRESSION.fullmatch(value)
    if whole:
        return _evaluate(whole.group(1), scope, counts)
    return EXPRESSION.sub(lambda match: str(_evaluate(match.group(1), scope, counts)), value)


def _evaluate(expression: str, scope: dict[str, dict[str, Any]], counts: dict[str, int]) -> Any:
    head, _, rest = expression.partition(".")
    if head in scope:
        return scope[head][rest]
    match = NODE_REFERENCE.fullmatch(expression)
    node, index, attribute = match["node"], match["index"], match["attribute"]
    if index == "*":
        return [Ref(node_id(node, i), attribute) for i in range(counts[node])]
    if index == "count.index":
        return Ref(node_id(node, scope["count"]["index"]), attribute)
    return Ref(node_id(node, None if index is None else int(index)), attribute)


def refs(value: Any) -> Iterator[Ref]:
    """Every reference in a value."""
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from refs(item)


def map_refs(value: Any, on_ref: Callable[[Ref], Any], on_leaf: Callable[[Any], Any] = lambda v: v) -> Any:
    """``value`` with each reference replaced by ``on_ref(ref)`` and every other leaf by ``on_leaf(leaf)``."""
    if isinstance(value, Ref):
        return on_ref(value)
    if isinstance(value, dict):
        return {key: map_refs(item, on_ref, on_leaf) for key, item in value.items()}
    if isinstance(value, list):
        return [map_refs(item, on_ref, on_leaf) for item in value]
    return on_leaf(value)


def substitute(value: Any, known: dict[str, dict[str, Any]]) -> Any:
    """``value`` with each reference replaced by the attribute of the node it names (``known[node]``)."""
    return map_refs(value, lambda ref: known[ref.node][ref.attribute])
