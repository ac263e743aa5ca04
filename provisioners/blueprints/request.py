"""A request: which blueprint, with which parameters, in which account and region, for whom.

Its id is stable: derived from account, region and name, so the same request read again (from its file, the
page or a row of ``provisioning.requests``) is the same request, whatever its parameters became since.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provisioners.blueprints.blueprint import Blueprint, type_matches
from provisioners.blueprints.yaml_lines import Located, SourceError, load_located, parse_located

REQUEST_KEYS = ("name", "blueprint", "account", "region", "requested_by", "tags", "parameters")


def request_id(account: str, region: str, name: str) -> str:
    digest = hashlib.blake2b(json.dumps([account, region, name]).encode(), digest_size=6).hexdigest()
    return f"req-{digest}"


@dataclass(frozen=True)
class Request:
    name: str
    blueprint: str
    account: str
    region: str
    requested_by: str
    tags: dict[str, str]
    parameters: dict[str, Any] = field(default_factory=dict)
    source: str = "request"  # the file it was read from, or where else it came from
    parameter_lines: dict[str, int] = field(default_factory=dict, compare=False)  # for messages

    @property
    def id(self) -> str:
        return request_id(self.account, self.region, self.name)

    def document(self) -> dict[str, Any]:
        """The request as stored in ``provisioning.requests`` and shown on the page."""
        return {key: getattr(self, key) for key in REQUEST_KEYS}

    def fields(self) -> dict[str, Any]:
        """What ``${request.FIELD}`` reads."""
        return {
            "id": self.id, "name": self.name, "account": self.account, "region": self.region,
            "requested_by": self.requested_by, **{k: self.tags.get(k, "") for k in ("team", "project", "env", "owner")},
        }  # fmt: skip


def load_request(path: Path, required_tags: Sequence[str]) -> Request:
    return parse_request(load_located(path), required_tags)


def request_from_text(text: str, source: str, required_tags: Sequence[str]) -> Request:
    return parse_request(parse_located(text, source), required_tags)


def request_from_document(document: dict[str, Any], source: str, required_tags: Sequence[str]) -> Request:
    """A request stored as a document (a row of provisioning.requests); problems name ``source``."""
    return parse_request(Located(source, document, {}), required_tags)


def parse_request(doc: Located, required_tags: Sequence[str]) -> Request:
    data, problems = doc.data, []
    problems += [doc.problem(f"unknown key {key!r}", key) for key in sorted(set(data) - set(REQUEST_KEYS))]
    for key in ("name", "blueprint", "account", "region", "requested_by"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(doc.problem(f"{key} is missing (a non-empty string)", key))
    if isinstance(data.get("name"), str) and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", data["name"]):
        problems.append(doc.problem("name: lowercase letters, digits and '-', at most 63", "name"))
    if isinstance(data.get("account"), str) and not re.fullmatch(r"\d{12}", data["account"]):
        problems.append(
            doc.problem(f"account {data['account']!r} is not a 12-digit AWS account id", "account")
        )
    tags = data.get("tags") or {}
    if not isinstance(tags, dict):
        problems.append(doc.problem("tags must be a mapping", "tags"))
        tags = {}
    for tag in required_tags:
        if not str(tags.get(tag) or "").strip():
            problems.append(doc.problem(f"required tag {tag!r} is missing", "tags"))
    parameters = data.get("parameters") or {}
    if not isinstance(parameters, dict):
        problems.append(doc.problem("parameters must be a mapping", "parameters"))
        parameters = {}
    if problems:
        raise SourceError(problems)
    return Request(
        name=data["name"], blueprint=data["blueprint"], account=data["account"], region=data["region"],
        requested_by=data["requested_by"], tags={str(k): str(v) for k, v in tags.items()},
        parameters=parameters, source=doc.file,
        parameter_lines={name: doc.line("parameters", name) for name in [*parameters, "parameters"]},
    )  # fmt: skip


def parameter_values(request: Request, blueprint: Blueprint) -> dict[str, Any]:
    """Every parameter's value: the request's, else the default; SourceError for a missing, unknown or
    mistyped one (named with the request's source)."""
    problems, values = [], {}
    line = lambda name: request.parameter_lines.get(name, 1)
    for name in sorted(set(request.parameters) - set(blueprint.parameters)):
        known = ", ".join(sorted(blueprint.parameters)) or "none"
        problems.append(
            (
                request.source,
                line(name),
                f"parameter {name!r}: blueprint {blueprint.name} has no such parameter (it has: {known})",
            )
        )
    for name, parameter in blueprint.parameters.items():
        if name in request.parameters:
            value = request.parameters[name]
            if not type_matches(parameter.type, value):
                problems.append(
                    (request.source, line(name), f"parameter {name!r}: {value!r} is not a {parameter.type}")
                )
            values[name] = value
        elif parameter.required:
            problems.append(
                (
                    request.source,
                    line("parameters"),
                    f"parameter {name!r} is missing (a {parameter.type}, no default)",
                )
            )
        else:
            values[name] = parameter.default
    if problems:
        raise SourceError(problems)
    return values
