"""A blueprint: typed parameters and resources (Terraform types and arguments) that refer to each other.

Values may hold expressions: ``${param.NAME}``, ``${request.FIELD}``, ``${count.index}`` (in a resource with
``count``), and references to other resources, ``${NODE.ATTR}``, ``${NODE[2].ATTR}``, ``${NODE[count.index].ATTR}`` or
``${NODE[*].ATTR}`` (a list over a counted resource). A reference to a resource is a whole value, never part of a string: it
is known only after that resource is created, and makes the referring resource depend on it. ``extends:
OTHER`` starts from another blueprint's parameters and resources.

Everything that can be checked without a request is checked on load (unknown type, unknown parameter or
resource, an attribute the type does not have, a cycle of references, a default of the wrong type), with
the file and line of each problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from provisioners.blueprints.yaml_lines import Located, SourceError, load_located
from provisioners.catalog import KINDS

BLUEPRINT_DIR = Path(__file__).parent
EXPRESSION = re.compile(r"\$\{\s*([^}]*?)\s*\}")
NODE_REFERENCE = re.compile(
    r"(?P<node>[A-Za-z_][\w-]*)(?:\[(?P<index>\*|\d+|count\.index)\])?\.(?P<attribute>\w+)"
)
REQUEST_FIELDS = ("id", "name", "account", "region", "requested_by", "team", "project", "env", "owner")
PARAMETER_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool, "list": list,
}  # fmt: skip


def type_matches(type_name: str, value: Any) -> bool:
    """Whether ``value`` is of the parameter type (a boolean is not a number, although Python says so)."""
    if isinstance(value, bool) and type_name != "boolean":
        return False
    return isinstance(value, PARAMETER_TYPES[type_name])


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    required: bool  # no default: the request must give it
    description: str


@dataclass(frozen=True)
class Resource:
    name: str
    type: str
    count: Any  # None, an integer or a ${param.X} expression
    properties: dict[str, Any]
    file: str
    line: int


@dataclass(frozen=True)
class Blueprint:
    name: str
    description: str
    parameters: dict[str, Parameter]
    resources: dict[str, Resource]
    sources: tuple[str, ...]  # the text of its file and of those it extends, for the plan's hash


def blueprint_path(name: str, directory: Path = BLUEPRINT_DIR) -> Path:
    return directory / f"{name}.yaml"


def shipped_blueprints(directory: Path = BLUEPRINT_DIR) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.yaml"))


def load_blueprint(name_or_path: str | Path, directory: Path = BLUEPRINT_DIR) -> Blueprint:
    """The blueprint named (one of ``directory``) or at a path; SourceError listing every problem."""
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = blueprint_path(str(name_or_path), directory)
        if not path.exists():
            known = ", ".join(shipped_blueprints(directory))
            raise SourceError([(str(path), 1, f"no blueprint {name_or_path!r}; known: {known}")])
    return _load(path, directory, ())


def _load(path: Path, directory: Path, seen: tuple[str, ...]) -> Blueprint:
    doc = load_located(path)
    data, problems = doc.data, []
    unknown_keys = set(data) - {"name", "description", "extends", "parameters", "resources"}
    problems += [doc.problem(f"unknown key {key!r}", key) for key in sorted(unknown_keys)]
    parameters, resources, sources = {}, {}, ()
    if "extends" in data:
        base_name = data["extends"]
        if str(base_name) in seen or base_name == path.stem:
            raise SourceError(
                [doc.problem(f"extends {base_name!r} again: blueprints extend in a circle", "extends")]
            )
        if not blueprint_path(str(base_name), directory).exists():
            raise SourceError([doc.problem(f"extends unknown blueprint {base_name!r}", "extends")])
        base = _load(blueprint_path(str(base_name), directory), directory, (*seen, path.stem))
        parameters, resources, sources = dict(base.parameters), dict(base.resources), base.sources
    for name, spec in _mapping(doc, "parameters", problems).items():
        parameter = _parameter(doc, name, spec, problems)
        if parameter:
            parameters[name] = parameter
    for name, spec in _mapping(doc, "resources", problems).items():
        resource = _resource(doc, name, spec, problems)
        if resource:
            resources[name] = resource
    blueprint = Blueprint(
        name=str(data.get("name", path.stem)),
        description=str(data.get("description", "")),
        parameters=parameters,
        resources=resources,
        sources=(*sources, path.read_text(encoding="utf-8")),
    )
    problems += check_references(blueprint)
    if problems:
        raise SourceError(problems)
    return blueprint


def _mapping(doc: Located, key: str, problems: list) -> dict[str, Any]:
    value = doc.data.get(key) or {}
    if not isinstance(value, dict):
        problems.append(doc.problem(f"{key} must be a mapping of names", key))
        return {}
    return value


def _parameter(doc: Located, name: str, spec: Any, problems: list) -> Parameter | None:
    where = ("parameters", name)
    if not isinstance(spec, dict) or spec.get("type") not in PARAMETER_TYPES:
        got = spec.get("type") if isinstance(spec, dict) else spec
        problems.append(
            doc.problem(
                f"parameter {name!r}: type must be one of {', '.join(PARAMETER_TYPES)}, got {got!r}", *where
            )
        )
        return None
    required = "default" not in spec
    if not required and not type_matches(spec["type"], spec["default"]):
        problems.append(
            doc.problem(
                f"parameter {name!r}: default {spec['default']!r} is not a {spec['type']}", *where, "default"
            )
        )
        return None
    return Parameter(name, spec["type"], spec.get("default"), required, str(spec.get("description", "")))


def _resource(doc: Located, name: str, spec: Any, problems: list) -> Resource | None:
    where = ("resources", name)
    if not re.fullmatch(r"[A-Za-z_][\w-]*", name):
        problems.append(doc.problem(f"resource name {name!r}: letters, digits, '_' and '-' only", *where))
        return None
    if not isinstance(spec, dict):
        problems.append(
            doc.problem(f"resource {name!r}: expected a mapping with type and properties", *where)
        )
        return None
    kind = spec.get("type")
    if kind not in KINDS:
        problems.append(
            doc.problem(
                f"resource {name!r}: unknown type {kind!r}; known types: {', '.join(sorted(KINDS))}",
                *where,
                "type",
            )
        )
        return None
    unknown = set(spec) - {"type", "count", "properties"}
    problems += [
        doc.problem(f"resource {name!r}: unknown key {key!r}", *where, key) for key in sorted(unknown)
    ]
    properties = spec.get("properties") or {}
    if not isinstance(properties, dict):
        problems.append(doc.problem(f"resource {name!r}: properties must be a mapping", *where, "properties"))
        return None
    line = doc.line(*where)
    return Resource(name, kind, spec.get("count"), properties, doc.file, line)


def expressions(value: Any) -> list[tuple[str, bool]]:
    """Every ``${...}`` in ``value`` (nested lists and mappings included), with whether it is the whole
    string."""
    if isinstance(value, str):
        whole = EXPRESSION.fullmatch(value) is not None
        return [(match.group(1), whole) for match in EXPRESSION.finditer(value)]
    if isinstance(value, dict):
        return [found for item in value.values() for found in expressions(item)]
    if isinstance(value, list):
        return [found for item in value for found in expressions(item)]
    return []


def references(resource: Resource) -> set[str]:
    """The resources ``resource`` refers to."""
    found = set()
    for expression, _ in expressions(resource.properties):
        match = NODE_REFERENCE.fullmatch(expression)
        if match and match["node"] not in ("param", "request", "count"):
            found.add(match["node"])
    return found


def check_references(blueprint: Blueprint) -> list[tuple[str, int, str]]:
    """Problems of the expressions: unknown names and attributes, misplaced references, cycles."""
    problems = []
    for resource in blueprint.resources.values():
        say = lambda message, r=resource: problems.append((r.file, r.line, f"resource {r.name!r}: {message}"))
        count = resource.count
        if count is not None and not isinstance(count, int) or isinstance(count, bool):
            match = EXPRESSION.fullmatch(count) if isinstance(count, str) else None
            parameter = blueprint.parameters.get(match.group(1).removeprefix("param.")) if match else None
            if parameter is None or not match.group(1).startswith("param.") or parameter.type != "integer":
                say(f"count must be an integer or ${{param.NAME}} of an integer parameter, got {count!r}")
        for expression, whole in expressions(resource.properties):
            problem = _expression_problem(blueprint, resource, expression, whole)
            if problem:
                say(problem)
    graph = {r.name: references(r) & set(blueprint.resources) for r in blueprint.resources.values()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        cycle = error.args[1]
        first = blueprint.resources[cycle[0]]
        problems.append((first.file, first.line, f"reference cycle: {' -> '.join(cycle)}"))
    return problems


def _expression_problem(blueprint: Blueprint, resource: Resource, expression: str, whole: bool) -> str | None:
    head, _, rest = expression.partition(".")
    if head == "param":
        return None if rest in blueprint.parameters else f"unknown parameter {rest!r} in ${{{expression}}}"
    if head == "request":
        return (
            None
            if rest in REQUEST_FIELDS
            else (f"unknown request field {rest!r} in ${{{expression}}}; known: {', '.join(REQUEST_FIELDS)}")
        )
    if expression == "count.index":
        return None if resource.count is not None else "${count.index} in a resource without count"
    match = NODE_REFERENCE.fullmatch(expression)
    if not match:
        return f"cannot read ${{{expression}}}: expected param.NAME, request.FIELD, count.index or NODE.ATTR"
    target = blueprint.resources.get(match["node"])
    if target is None:
        return f"refers to unknown resource {match['node']!r} in ${{{expression}}}"
    if match["attribute"] not in KINDS[target.type].attributes:
        known = ", ".join(KINDS[target.type].attributes)
        return f"{target.type} has no attribute {match['attribute']!r} to refer to (it has {known})"
    if not whole:
        return (
            f"${{{expression}}} refers to another resource: it must be the whole value, not part of a string"
        )
    if target.count is None and match["index"] is not None:
        return f"${{{expression}}}: {match['node']!r} has no count, refer to it without an index"
    if match["index"] == "count.index" and resource.count is None:
        return f"${{{expression}}}: [count.index] in a resource without count"
    if target.count is not None and match["index"] is None:
        return f"${{{expression}}}: {match['node']!r} has count, refer to one [N] or all [*]"
    return None
